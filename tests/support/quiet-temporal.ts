import { DefaultLogger, Runtime } from '@temporalio/worker';

// The SDK logs every worker state change and workflow bundle at INFO; tests keep warnings only.
// Each test file has its own module registry, so this runs once per file.
Runtime.install({ logger: new DefaultLogger(process.env.TEMPORAL_LOG_LEVEL === 'INFO' ? 'INFO' : 'WARN') });
