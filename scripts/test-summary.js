#!/usr/bin/env node
// Prints the totals of a `make test` run from the Jest JSON reports in
// .run/test-results/<suite>.json (written by `jest --json --outputFile=...`).
//
//   unit: 12 passed, 0 failed
//   integration: 30 passed, 1 failed
//   ...
//   tests: 42 passed, 1 failed        <- always the last line, always this shape
//
// An expected suite without a report (Jest crashed, or never ran) counts as one
// failure. A lint result (.run/test-results/lint.status holding the exit code)
// is shown and a lint failure counts as one failure. Exit code: 1 if anything
// failed. No dependencies, runs on any Node >= 18. It uses neither `require`
// nor `import` statements, only `import()`, so it runs unchanged whether
// package.json says "type": "module" or not.
//
// Usage: node scripts/test-summary.js [--dir DIR] [--expect unit,integration,e2e,reliability]
'use strict';

let fs;
let path;

const DEFAULT_SUITES = ['unit', 'integration', 'e2e', 'reliability'];

function parseArgs(argv) {
  const opts = {
    // This file lives in <repo>/scripts; __dirname does not exist in ES modules.
    dir: path.join(path.dirname(path.resolve(process.argv[1])), '..', '.run', 'test-results'),
    expect: DEFAULT_SUITES,
  };
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    const value = argv[i + 1];
    if (arg === '--dir' && value !== undefined) {
      opts.dir = path.resolve(value);
      i += 1;
    } else if (arg === '--expect' && value !== undefined) {
      opts.expect = value.split(',').map((s) => s.trim()).filter(Boolean);
      i += 1;
    } else {
      process.stderr.write(`test-summary: unknown argument ${arg}\n`);
      process.exit(2);
    }
  }
  return opts;
}

function count(value) {
  return Number.isInteger(value) && value > 0 ? value : 0;
}

// One suite's numbers from a Jest --json report.
function summarise(name, file) {
  let report;
  try {
    report = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    return { name, passed: 0, failed: 1, note: `unreadable report ${path.basename(file)}: ${String(error.message).replace(/\s+/g, " ")}` };
  }
  const passed = count(report.numPassedTests);
  let failed = count(report.numFailedTests);
  const notes = [];
  // A test file that does not compile or throws at load time has no failed
  // tests, only a "runtime error" suite: count each such file as a failure.
  const broken = count(report.numRuntimeErrorTestSuites);
  if (broken > 0) {
    failed += broken;
    notes.push(`${broken} test file(s) failed to run`);
  }
  if (report.success === false && failed === 0) {
    // e.g. no tests found, a coverage threshold or an open-handle failure.
    failed = 1;
    notes.push('Jest reported failure without a failed test');
  }
  const skipped = count(report.numPendingTests) + count(report.numTodoTests);
  if (skipped > 0) notes.push(`${skipped} skipped`);
  return { name, passed, failed, note: notes.join('; ') };
}

function main() {
  const opts = parseArgs(process.argv.slice(2));
  const files = fs.existsSync(opts.dir)
    ? fs.readdirSync(opts.dir).filter((f) => f.endsWith('.json')).sort()
    : [];
  const found = new Map(files.map((f) => [path.basename(f, '.json'), path.join(opts.dir, f)]));

  // Expected suites in their run order, then any extra reports found.
  const names = [...opts.expect, ...[...found.keys()].filter((n) => !opts.expect.includes(n))];
  const rows = names.map((name) =>
    found.has(name)
      ? summarise(name, found.get(name))
      : { name, passed: 0, failed: 1, note: 'no results: the suite crashed or did not run' },
  );

  let extraFailures = 0;
  const lintFile = path.join(opts.dir, 'lint.status');
  if (fs.existsSync(lintFile)) {
    const code = fs.readFileSync(lintFile, 'utf8').trim();
    if (code === '0') {
      console.log('lint: passed');
    } else {
      extraFailures += 1;
      console.log(`lint: FAILED (exit ${code || '?'}), counted as 1 failed`);
    }
  }

  // Non-Jest checks (e.g. the ops scripts) save their output as <name>.txt;
  // their own closing "<label>: N passed, N failed" line is taken as is.
  const textFiles = fs.existsSync(opts.dir) ? fs.readdirSync(opts.dir).filter((f) => f.endsWith('.txt')).sort() : [];
  for (const file of textFiles) {
    const name = path.basename(file, '.txt');
    const lines = fs.readFileSync(path.join(opts.dir, file), 'utf8').split('\n');
    const closing = lines.map((line) => /(\d+) passed, (\d+) failed/.exec(line)).filter(Boolean).pop();
    rows.push(
      closing
        ? { name, passed: Number(closing[1]), failed: Number(closing[2]), note: '' }
        : { name, passed: 0, failed: 1, note: 'no closing "N passed, N failed" line' },
    );
  }

  let passed = 0;
  let failed = extraFailures;
  for (const row of rows) {
    passed += row.passed;
    failed += row.failed;
    console.log(`${row.name}: ${row.passed} passed, ${row.failed} failed${row.note ? ` (${row.note})` : ''}`);
  }
  console.log(`tests: ${passed} passed, ${failed} failed`);
  process.exitCode = failed > 0 ? 1 : 0;
}

Promise.all([import('node:fs'), import('node:path')]).then(
  ([fsModule, pathModule]) => {
    fs = fsModule.default;
    path = pathModule.default;
    main();
  },
  (error) => {
    process.stderr.write(`test-summary: ${error.stack || error}\n`);
    process.exitCode = 2;
  },
);
