/**
 * A code lens over the front matter of a post that is already published: edits to it do not go
 * out (publishing again sends nothing to the channels it reached), so the writer knows before
 * editing rather than after.
 */
import * as vscode from 'vscode';
import { publishedNote } from './editor-text';
import { Linter } from './linter';

export class PublishedLens implements vscode.CodeLensProvider {
  private readonly emitter = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.emitter.event;

  constructor(private readonly linter: Linter) {
    linter.onDidLint(() => this.emitter.fire());
  }

  provideCodeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    const post = this.linter.state(doc.uri)?.result.post;
    if (!post) return [];
    const note = publishedNote(post.meta);
    if (!note) return [];
    return [
      new vscode.CodeLens(new vscode.Range(0, 0, 0, 0), {
        title: note,
        command: 'unscripted.preview',
        arguments: [doc.uri],
        tooltip: 'Preview the post as it was published',
      }),
    ];
  }
}
