#!/usr/bin/env node
// The `strata-warehouse` command. This file exists before the first build, so installing the
// workspace links the command without warnings; the CLI itself is compiled to dist/cli.js.
import '../dist/cli.js';
