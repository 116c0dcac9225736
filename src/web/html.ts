/** Minimal, safe HTML templating for verid's server-rendered pages. */
const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

/** A tagged template that escapes every interpolated value unless it is already `SafeHtml`. */
export class SafeHtml {
  readonly value: string;
  constructor(value: string) {
    this.value = value;
  }
  toString(): string {
    return this.value;
  }
}

export function html(strings: TemplateStringsArray, ...values: unknown[]): SafeHtml {
  let out = strings[0] ?? '';
  values.forEach((v, i) => {
    const rendered = Array.isArray(v) ? v.map((x) => (x instanceof SafeHtml ? x.value : escapeHtml(x))).join('')
      : v instanceof SafeHtml ? v.value : v === undefined || v === null || v === false ? '' : escapeHtml(v);
    out += rendered + (strings[i + 1] ?? '');
  });
  return new SafeHtml(out);
}

/** The one stylesheet of every page, inline: the Content-Security-Policy allows it by its hash. */
export const PAGE_STYLE = `
:root{color-scheme:light dark;--accent:#2457d6;--bg:#f6f7fb;--fg:#1b1f2a;--card:#fff;--muted:#5b6477;--err:#b42318}
@media (prefers-color-scheme:dark){:root{--bg:#11141b;--fg:#e8ebf2;--card:#1a1f2b;--muted:#a3acbf;--accent:#7aa2ff;--err:#ff8a80}}
*{box-sizing:border-box}body{margin:0;font:16px/1.5 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;background:var(--bg);color:var(--fg)}
main{max-width:34rem;margin:2rem auto;padding:0 1rem}.card{background:var(--card);border-radius:12px;padding:1.5rem;box-shadow:0 1px 3px #0002}
h1{font-size:1.4rem;margin:0 0 .75rem}p{margin:.5rem 0}.muted{color:var(--muted);font-size:.9rem}
label{display:block;font-weight:600;margin:1rem 0 .25rem}input[type=file]{width:100%;padding:.5rem;border:1px dashed var(--muted);border-radius:8px}
button{margin-top:1.25rem;width:100%;padding:.75rem;border:0;border-radius:8px;background:var(--accent);color:#fff;font-size:1rem;font-weight:600;cursor:pointer}
button[disabled]{opacity:.6;cursor:progress}.error{color:var(--err)}[role=status]{min-height:1.5rem;margin-top:1rem}
code{font-size:.85rem;word-break:break-all}
h2.label{font-size:1rem;margin:1rem 0 .25rem}button.secondary{background:transparent;color:inherit;border:1px solid currentColor}
.preview{position:relative;border-radius:12px;overflow:hidden;background:#000;aspect-ratio:4/3;margin-top:.5rem}
.preview video{width:100%;height:100%;object-fit:cover;transform:scaleX(-1)}
.preview p{position:absolute;left:0;right:0;bottom:0;margin:0;padding:.75rem;font-size:1.3rem;font-weight:700;text-align:center;color:#fff;background:#000a}
.preview p:empty,.preview[hidden]{display:none}
fieldset{border:1px solid var(--muted);border-radius:8px;margin:1rem 0 0;padding:.25rem 1rem .75rem}legend.label{font-weight:600;padding:0 .25rem}
label.check{font-weight:400;display:flex;gap:.5rem;align-items:flex-start}label.check input{margin-top:.3rem}
details{margin-top:1.25rem;border-top:1px solid var(--muted);padding-top:.75rem}summary{cursor:pointer;font-weight:600}
#handoff-qr{display:block;margin:.75rem auto;background:#fff;border-radius:8px}
`;

export function page(title: string, body: SafeHtml, options: { script?: string } = {}): string {
  return html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="referrer" content="no-referrer"><title>${title} · verid</title><style>${new SafeHtml(PAGE_STYLE)}</style></head>
<body><main>${body}</main>${options.script ? new SafeHtml(`<script type="module" src="${escapeHtml(options.script)}"></script>`) : ''}</body></html>`.value;
}
