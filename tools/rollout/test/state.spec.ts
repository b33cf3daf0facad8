import { promises as fsPromises, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { ConcurrentModificationError, StateFileError } from '../src/errors';
import { DEFAULT_PLAN } from '../src/plan';
import { FileStateStore, MemoryStateStore, parseState, type RolloutState } from '../src/state';

const STATE: RolloutState = {
  version: 1,
  stack: 'SlackBedrockStack',
  region: 'eu-west-1',
  revision: 1,
  runId: '20250303T090000000Z-abc123',
  startedAt: '2025-03-03T09:00:00.000Z',
  updatedAt: '2025-03-03T09:00:00.000Z',
  plan: DEFAULT_PLAN,
  baseline: { directP95Ms: 200, samples: 1000, window: { start: '2025-03-02T09:00:00.000Z', end: '2025-03-03T09:00:00.000Z' } },
  status: 'baking',
  stageIndex: 0,
  bakeStartedAt: '2025-03-03T09:00:00.000Z',
  extensionStartedAt: undefined,
  lastGates: undefined,
  completedStages: [],
  breach: undefined,
  history: [{ at: '2025-03-03T09:00:00.000Z', status: 'deploying', stageIndex: 0, note: 'run started' }],
};

describe('FileStateStore', () => {
  let directory: string;
  let file: string;
  beforeEach(() => {
    directory = mkdtempSync(path.join(tmpdir(), 'rollout-state-'));
    file = path.join(directory, '.rollout', 'state.SlackBedrockStack.json');
  });
  afterEach(() => rmSync(directory, { recursive: true, force: true }));

  it('loads nothing before the first write', async () => {
    expect(await new FileStateStore(file).load()).toBeUndefined();
  });

  it('writes pretty JSON that loads back equal, creating the directory with a .gitignore', async () => {
    const store = new FileStateStore(file, { gitignoreDirectory: true });
    await store.save(STATE, undefined);

    expect(await store.load()).toEqual(JSON.parse(JSON.stringify(STATE)));
    expect(readFileSync(file, 'utf8')).toBe(`${JSON.stringify(STATE, null, 2)}\n`);
    expect(readFileSync(path.join(directory, '.rollout', '.gitignore'), 'utf8')).toBe('# rollout state: local to this machine\n*\n');
    // Only the state and the .gitignore: the temporary file was renamed into place.
    expect(readdirSync(path.join(directory, '.rollout')).sort()).toEqual(['.gitignore', 'state.SlackBedrockStack.json']);
  });

  it('keeps an existing .gitignore', async () => {
    mkdirSync(path.join(directory, '.rollout'));
    writeFileSync(path.join(directory, '.rollout', '.gitignore'), 'mine\n');
    await new FileStateStore(file, { gitignoreDirectory: true }).save(STATE, undefined);
    expect(readFileSync(path.join(directory, '.rollout', '.gitignore'), 'utf8')).toBe('mine\n');
  });

  it('refuses a write over a revision it did not expect', async () => {
    const store = new FileStateStore(file);
    await store.save(STATE, undefined);
    await expect(store.save({ ...STATE, revision: 2 }, undefined)).rejects.toThrow(ConcurrentModificationError);
    await store.save({ ...STATE, revision: 2 }, 1);
    const error = await store.save({ ...STATE, revision: 2 }, 1).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ expectedRevision: 1, actualRevision: 2 });
    expect((await store.load())?.revision).toBe(2);
  });

  it('reports a file that is not JSON', async () => {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, '{"version": 1,');
    await expect(new FileStateStore(file).load()).rejects.toThrow(new RegExp(`^state file ${file}: is not JSON: SyntaxError`));
  });

  it('reports every invalid field of a state that does not match the schema', async () => {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, JSON.stringify({ ...STATE, status: 'flying', stageIndex: -1 }));
    const error = await new FileStateStore(file).load().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(StateFileError);
    expect((error as Error).message).toContain('not a valid rollout state');
    expect((error as Error).message).toContain('→ at status');
    expect((error as Error).message).toContain('→ at stageIndex');
  });

  it('rejects a stage index beyond the plan', () => {
    expect(() => parseState({ ...STATE, stageIndex: 3 }, 'here')).toThrow("state file here: stageIndex 3 is beyond the plan's 3 stages");
  });

  it('accepts null for absent optional fields', () => {
    expect(parseState({ ...JSON.parse(JSON.stringify(STATE)), breach: null, region: null }, 'here').breach).toBeUndefined();
  });

  it('leaves the old state and no temporary file behind when the final rename fails', async () => {
    const store = new FileStateStore(file);
    await store.save(STATE, undefined);
    const rename = jest.spyOn(fsPromises, 'rename').mockRejectedValueOnce(Object.assign(new Error('EIO: i/o error'), { code: 'EIO' }));

    await expect(store.save({ ...STATE, revision: 2, status: 'held' }, 1)).rejects.toThrow(
      `state file ${file}: cannot write: Error: EIO: i/o error`,
    );

    expect(rename).toHaveBeenCalledTimes(1);
    expect(await store.load()).toMatchObject({ revision: 1, status: 'baking' });
    expect(readdirSync(path.dirname(file))).toEqual(['state.SlackBedrockStack.json']);
  });
});

describe('MemoryStateStore', () => {
  it('returns copies and checks revisions like the file store', async () => {
    const store = new MemoryStateStore();
    await store.save(STATE, undefined);
    const loaded = await store.load();
    expect(loaded).toEqual(JSON.parse(JSON.stringify(STATE)));
    expect(loaded).not.toBe(STATE);
    await expect(store.save(STATE, 0)).rejects.toThrow(ConcurrentModificationError);
  });
});
