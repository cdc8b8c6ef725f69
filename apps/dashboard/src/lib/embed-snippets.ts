/** The widgets a portal can embed, with the attributes each needs besides api-base and token. */
export const WIDGETS = [
  { tag: 'strata-customer-profile', attributes: { customer: '{{customerNo}}' } },
  { tag: 'strata-next-actions', attributes: { customer: '{{customerNo}}' } },
  { tag: 'strata-kpi', attributes: { segment: 'payroll_no_wealth' } },
  { tag: 'strata-lifecycle-funnel', attributes: {} },
  { tag: 'strata-strategy-map', attributes: {} },
] as const;

export type WidgetTag = (typeof WIDGETS)[number]['tag'];

/** The portal page's part: the script tag and the chosen elements. */
export function pageSnippet(strata: string, tags: readonly WidgetTag[], lang: string): string {
  const lines = [
    `<script type="module" src="${strata}/widgets/strata-widgets.js"></script>`,
    `<!-- a portal that cannot load modules: <script src="${strata}/widgets/strata-widgets.iife.js"></script> -->`,
  ];
  for (const widget of WIDGETS.filter((w) => tags.includes(w.tag))) {
    const attributes = Object.entries({
      'api-base': strata,
      token: '{{embedToken}}',
      lang,
      ...widget.attributes,
    })
      .map(([k, v]) => `${k}="${v}"`)
      .join(' ');
    lines.push(`<${widget.tag} ${attributes}></${widget.tag}>`);
  }
  return lines.join('\n');
}

/** The portal back end's part in Node.js: signing a token per page view with jose. */
export function nodeSnippet(kid: string): string {
  return [
    `// npm install jose`,
    `import { SignJWT } from 'jose';`,
    ``,
    `// The secret shown once when the key was made: keep it in the back end's configuration.`,
    `const secret = new TextEncoder().encode(process.env.STRATA_EMBED_SECRET);`,
    ``,
    `/** A token for the signed-in relationship manager, rendered into the page as {{embedToken}}. */`,
    `export function embedToken(rmCode) {`,
    `  return new SignJWT({}) // optional narrowing: { scope: { customers: ['R000000206'] } }`,
    `    .setProtectedHeader({ alg: 'HS256', kid: '${kid}' })`,
    '    .setSubject(`rm:${rmCode}`)',
    `    .setIssuedAt()`,
    `    .setExpirationTime('10m')`,
    `    .sign(secret);`,
    `}`,
  ].join('\n');
}

/** The portal back end's part in Java: the JDK-only signer of packages/widgets/examples/java. */
export function javaSnippet(kid: string): string {
  return [
    `// EmbedToken.java (packages/widgets/examples/java): JDK only, no library to download.`,
    `String token = EmbedToken.sign(`,
    `    "${kid}",`,
    `    System.getenv("STRATA_EMBED_SECRET"), // shown once when the key was made`,
    `    "rm:" + rmCode,                       // who acts: the signed-in RM`,
    `    null,                                 // or e.g. "{\\"customers\\":[\\"R000000206\\"]}"`,
    `    600);                                 // seconds; at most 3600`,
  ].join('\n');
}
