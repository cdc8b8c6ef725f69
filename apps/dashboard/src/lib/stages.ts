import { STAGE_COLORS, type ChartConfig } from '@strata/charts';
import { LIFECYCLE_STAGES, STAGE_LABELS, type Locale } from '@strata/core';

/** The chart configuration of the lifecycle stages in a locale: label and themeable colour. */
export function stageConfig(locale: Locale): ChartConfig {
  return Object.fromEntries(
    LIFECYCLE_STAGES.map((s) => [
      s,
      { label: STAGE_LABELS[s][locale], color: `var(--strata-stage-${s}, ${STAGE_COLORS[s]})` },
    ]),
  );
}
