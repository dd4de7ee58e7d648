// Prettier formats the TypeScript and build scripts (not Markdown: playbooks and posts are the
// users' text, and their list and table layout is meaning). 140 columns: the code base's own width
// before Prettier; a narrower width rewrapped a quarter of all lines for no reader's benefit.
export default {
  printWidth: 140,
  singleQuote: true,
  trailingComma: 'all',
};
