/**
 * Template rendering. Templates are real files (Python that parses and lints, TOML, Markdown);
 * what a notebook fills in lives in two kinds of placeholders that leave them valid:
 *  - block slots, whole lines between `# nb2prod:slot NAME` and `# nb2prod:end`, whose default
 *    content is replaced (markers included);
 *  - inline slots `{{NAME}}`, only inside strings, comments, TOML values and Markdown.
 * Rendering fails on a slot without a value and on a value without a slot, so templates and the
 * planner cannot drift apart silently.
 */

/** Values for one template: block and inline slots share one namespace. */
export type SlotValues = Readonly<Record<string, string>>;

const BLOCK = /^[ \t]*# nb2prod:slot ([a-z_]+)\n[\s\S]*?^[ \t]*# nb2prod:end[ \t]*\n?/gm;
const INLINE = /\{\{([a-z_]+)\}\}/g;

/** A placeholder that survived rendering (a test asserts none does). */
export const LEFTOVER_PLACEHOLDER = /\{\{[a-z_]+\}\}|nb2prod:slot|nb2prod:end/;

/** The template's own text: every block slot removed with its default content. */
export function fixedText(template: string): string {
  return template.replace(BLOCK, '');
}

/** Renders a template; throws on missing or unused values. */
export function renderTemplate(path: string, template: string, values: SlotValues): string {
  const used = new Set<string>();
  const take = (name: string): string => {
    const value = values[name];
    if (value === undefined) throw new Error(`template ${path}: no value for slot \`${name}\``);
    used.add(name);
    return value;
  };
  const rendered = template
    .replace(BLOCK, (_match, name: string) => {
      const value = take(name);
      return value.endsWith('\n') || value === '' ? value : `${value}\n`;
    })
    .replace(INLINE, (_match, name: string) => take(name));
  const unused = Object.keys(values).filter((name) => !used.has(name));
  if (unused.length > 0) throw new Error(`template ${path}: values for slots it does not have: ${unused.join(', ')}`);
  return rendered;
}
