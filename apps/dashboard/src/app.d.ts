import type { Locale } from '@strata/core';

declare global {
  namespace App {
    interface Locals {
      locale: Locale;
    }
  }
}

export {};
