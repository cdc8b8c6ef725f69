// Every property test draws from one fixed seed, so a run is repeatable on any machine (a test
// may still pass its own seed). fast-check prints the seed and path of any counterexample.
import fc from 'fast-check';

fc.configureGlobal({ ...fc.readConfigureGlobal(), seed: 20261122 });
