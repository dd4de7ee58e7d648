import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import { CORPUS_FILES } from '../../training/corpus';
import { MODEL_FILE, trainShipped } from '../../training/train';

describe('voice model: training (npm run train)', function () {
  this.timeout(180_000);
  const present = CORPUS_FILES.every((f) => fs.existsSync(f));

  it('reproduces the shipped model byte for byte from the labelled corpus', function () {
    if (!present) {
      // CI always has ../shared beside the repo; elsewhere there is nothing to train on.
      assert.ok(!process.env.CI, `the corpus must be beside the repo in CI: ${CORPUS_FILES.join(', ')}`);
      this.skip();
    }
    const text = trainShipped();
    assert.equal(
      text,
      fs.readFileSync(MODEL_FILE, 'utf8'),
      'models/institutional-voice.json is not what `npm run train` writes: run it and commit the file',
    );
  });
});
