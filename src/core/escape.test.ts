import { strict as assert } from 'node:assert';
import { escapeHtml, escapeMarkdown } from './escape';

describe('escape: one escaper per markup', () => {
  it('HTML/XML: the four characters that can end text or an attribute, ampersand first', () => {
    assert.equal(escapeHtml('<a href="x">Tom & Jerry</a>'), '&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&lt;/a&gt;');
    assert.equal(escapeHtml('&amp;'), '&amp;amp;');
    assert.equal(escapeHtml("it's plain"), "it's plain");
  });
  it('Markdown: every mark Markdown may read as syntax, shown literally', () => {
    assert.equal(
      escapeMarkdown('*bold* _it_ [link](x) `code` #1 a-b 1. <b> |'),
      '\\*bold\\* \\_it\\_ \\[link\\]\\(x\\) \\`code\\` \\#1 a\\-b 1\\. \\<b\\> \\|',
    );
    assert.equal(escapeMarkdown('C:\\path'), 'C:\\\\path');
  });
});
