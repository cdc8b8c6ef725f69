import { StrategyError } from '@strata/db';
import { TRPCError } from '@trpc/server';

/** Runs a db call of the strategy loop, turning its refusals into API errors with their code. */
export function strategyCall<T>(f: () => T): T {
  try {
    return f();
  } catch (error) {
    if (error instanceof StrategyError)
      throw new TRPCError({ code: error.code, message: error.message });
    throw error;
  }
}
