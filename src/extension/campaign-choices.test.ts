import { strict as assert } from 'node:assert';
import { loadPlaybookSync } from '../core/engine';
import { tempDir } from '../../test/helpers';
import { campaignChoices } from './campaign-choices';

const TALKING_POINTS = `---
kind: talking-points
---
## Library week

- The library opens late every evening of library week.

## Quiet launch
`;
const CHANNELS = '---\nkind: channels\n---\n| id | platform |\n| --- | --- |\n| outbox | outbox |\n';

describe('campaignChoices: the campaigns New Post offers', () => {
  it("offers the team's campaigns, also one that has no talking points yet", () => {
    const pb = loadPlaybookSync({ workspaceRoot: tempDir({ 'playbooks/talking-points.md': TALKING_POINTS }) });
    assert.deepEqual(campaignChoices(pb), ['library-week', 'quiet-launch']);
  });
  it('offers none of the shipped default playbook (its campaigns are samples)', () => {
    const pb = loadPlaybookSync({ workspaceRoot: tempDir() });
    assert.equal(pb.isDefault, true);
    assert.ok(pb.campaigns.size > 0, 'the default playbook has sample campaigns');
    assert.deepEqual(campaignChoices(pb), []);
  });
  it("leaves out the default's campaigns that a team playbook without talking points falls back to", () => {
    const pb = loadPlaybookSync({ workspaceRoot: tempDir({ 'playbooks/channels.md': CHANNELS }) });
    assert.equal(pb.isDefault, false);
    assert.ok(pb.campaigns.size > 0, 'the fallback talking points bring their campaigns');
    assert.deepEqual(campaignChoices(pb), []);
  });
});
