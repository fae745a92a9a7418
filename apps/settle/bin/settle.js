#!/usr/bin/env node
// Runs the TypeScript CLI directly: the workspace's tsconfig gives the @settle/* paths.
const path = require('node:path');
process.env.SWC_NODE_PROJECT ??= path.join(__dirname, '..', '..', '..', 'tsconfig.json');
require('@swc-node/register');
require('../src/main.ts');
