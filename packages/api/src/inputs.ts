import { z } from 'zod';

/** A month, `YYYY-MM`. */
export const periodInput = z
  .string()
  .regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'a period is written YYYY-MM, e.g. 2026-10');

/** An org unit: its id, or its code (机构号, six digits) as a portal knows it. */
export const orgUnitInput = z.union([
  z.number().int().positive(),
  z.string().regex(/^\d{6}$/, 'an org unit code has six digits, e.g. 330100'),
]);
