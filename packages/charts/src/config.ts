/**
 * How a chart names and colours each series: a label for people and a CSS colour, usually a
 * custom property with a fallback, so a theme or a widget host can restyle it
 * (shadcn-svelte's ChartConfig).
 *
 * @example
 * const config: ChartConfig = { mature: { label: '成熟', color: 'var(--strata-stage-mature, #009E73)' } };
 */
export type ChartConfig = Readonly<
  Record<string, { readonly label: string; readonly color: string }>
>;

/** Okabe–Ito, a palette that stays distinct for the common forms of colour blindness. */
export const OKABE_ITO = {
  orange: '#E69F00',
  sky: '#56B4E9',
  green: '#009E73',
  yellow: '#F0E442',
  blue: '#0072B2',
  vermillion: '#D55E00',
  purple: '#CC79A7',
  grey: '#999999',
} as const;

/** The colour of each lifecycle stage: one hue per phase (acquire, develop, retain, recover). */
export const STAGE_COLORS: Readonly<Record<string, string>> = {
  prospect: '#A6D4F2',
  onboarding: OKABE_ITO.sky,
  honeymoon: OKABE_ITO.blue,
  growth: '#66C2A4',
  mature: OKABE_ITO.green,
  declining: OKABE_ITO.orange,
  dormant: '#A87300',
  churned: OKABE_ITO.vermillion,
  winback: OKABE_ITO.purple,
};
