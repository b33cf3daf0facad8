const Sequencer = require('@jest/test-sequencer').default;

/**
 * Runs the spec files in name order, with the secrets scan last: it reads the log lines that every other suite of the
 * run gathered (the suite runs one file at a time, `maxWorkers: 1`).
 */
class ReliabilitySequencer extends Sequencer {
  sort(tests) {
    const last = (path) => (/secrets-scan\.spec\.ts$/.test(path) ? 1 : 0);
    return [...tests].sort((a, b) => last(a.path) - last(b.path) || a.path.localeCompare(b.path));
  }
}

module.exports = ReliabilitySequencer;
