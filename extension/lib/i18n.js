// The popup's words in the browser's language: its own strings from _locales/ (through the
// browser's i18n.getMessage), and the host's outcome and error texts by their stable code.
// No browser API is used here directly (getMessage is passed in), so it runs under
// `node --test` with the English catalogue alone.
//
// The host speaks English. Its texts come in three kinds:
// - a code's default words (outcomes.py _DEFAULTS): the English catalogue holds the same
//   words, so the text is recognised and shown in the user's language;
// - specific words the prober uses instead (a port number, a provider's settings page): the
//   known ones are in the catalogue as variants with placeholders ("Port $PORT$ expects …")
//   and are translated with the values the host put in;
// - anything else (a code this extension does not know, or new specific words): the host's
//   English is shown as it is, marked lang="en". Where the user's language is not English and
//   the code is known, its translated words come first and the host's own words follow, so
//   nothing the host said is lost.

// Chrome's placeholder rules: $NAME$ → the placeholder's content, then $1…$9 → substitutions.
export function format(entry, substitutions = []) {
  if (!entry) return "";
  const subs = Array.isArray(substitutions) ? substitutions : [substitutions];
  const placeholders = entry.placeholders ?? {};
  const named = entry.message.replace(/\$([A-Za-z0-9_@]+)\$/g, (whole, name) => {
    const found = placeholders[name.toLowerCase()];
    return found ? found.content : whole;
  });
  return named.replace(/\$(\$|[1-9])/g, (_, which) =>
    which === "$" ? "$" : String(subs[Number(which) - 1] ?? ""));
}

function escapeRegExp(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

// An English entry as a pattern over the host's text: each placeholder captures a value.
function pattern(entry) {
  const placeholders = entry.placeholders ?? {};
  const order = [];
  const source = entry.message.split(/(\$[A-Za-z0-9_@]+\$)/).map((part) => {
    const name = /^\$([A-Za-z0-9_@]+)\$$/.exec(part)?.[1]?.toLowerCase();
    const content = name && placeholders[name]?.content;
    if (!content) return escapeRegExp(part);
    order.push(Number(content.slice(1)));
    return "(.+?)";
  }).join("");
  return { re: new RegExp(`^${source}$`, "s"), order };
}

const squeeze = (text) => String(text ?? "").replace(/\s+/g, " ").trim();

export class Texts {
  // getMessage(key, substitutions) → the browser's text for its UI language, "" if none.
  // english: the parsed _locales/en/messages.json. locale: the browser's UI language, for
  // dates and numbers.
  constructor({ getMessage = () => "", english = {}, locale } = {}) {
    this.getMessage = getMessage;
    this.english = english;
    this.locale = locale || undefined;
    this.patterns = new Map();
  }

  // The catalogue's own language ("en", "de"): the page's lang.
  get lang() {
    return this.t("lang") || "en";
  }

  t(key, ...substitutions) {
    let text = "";
    try {
      text = this.getMessage(key, substitutions.map(String)) ?? "";
    } catch {
      text = "";
    }
    return text || format(this.english[key], substitutions.map(String)) || key;
  }

  has(key) {
    return Object.hasOwn(this.english, key);
  }

  // The host's `hostText` (English) for the catalogue entry `key` or one of its variants
  // (`key_<name>`): { text, lang, original } where `original` is the host's English when the
  // words shown do not say all of it.
  fromHost(key, hostText) {
    const own = squeeze(hostText);
    if (!this.has(key)) return { text: own, lang: "en" };
    if (!own) return { text: this.t(key), lang: this.lang };
    const found = this.translate([key, ...this.variants(key)], own);
    if (found) return found;
    if (this.lang === "en") return { text: own, lang: "en" };
    return { text: this.t(key), lang: this.lang, original: own };
  }

  // The first of `keys` whose English (placeholders standing for any value) is `own`,
  // translated with the values found there; else null.
  translate(keys, own) {
    for (const key of keys) {
      const { re, order } = this.pattern(key);
      const match = re.exec(own);
      if (!match) continue;
      const subs = [];
      order.forEach((n, i) => { subs[n - 1] = match[i + 1]; });
      return { text: this.t(key, ...subs), lang: this.lang };
    }
    return null;
  }

  // A note of the host's server suggestion (where it was found, what the provider needs):
  // translated when the catalogue knows it, else the host's English.
  note(hostText) {
    const own = squeeze(hostText);
    const keys = Object.keys(this.english).filter((k) => k.startsWith("note_"));
    return this.translate(keys, own) ?? { text: own, lang: "en" };
  }

  // The first of `keys` whose English is the host's text, translated; else the host's text.
  known(keys, hostText) {
    const own = squeeze(hostText);
    for (const key of keys) {
      if (this.has(key) && squeeze(format(this.english[key])) === own) {
        return { text: this.t(key), lang: this.lang };
      }
    }
    return { text: own, lang: "en" };
  }

  outcome(code, field, hostText) {
    return this.fromHost(`outcome_${code}_${field}`, hostText);
  }

  error(code, field, hostText) {
    return this.fromHost(`error_${code}_${field}`, hostText);
  }

  stage(name) {
    return this.has(`stage_${name}`) ? this.t(`stage_${name}`) : name;
  }

  variants(key) {
    return Object.keys(this.english).filter((k) => k.startsWith(`${key}_`));
  }

  pattern(key) {
    if (!this.patterns.has(key)) this.patterns.set(key, pattern(this.english[key]));
    return this.patterns.get(key);
  }

  number(value, options = {}) {
    return new Intl.NumberFormat(this.locale, options).format(value);
  }

  ms(value) {
    return this.number(Math.round(value), { style: "unit", unit: "millisecond", unitDisplay: "short" });
  }

  date(stamp) {
    return new Date(stamp).toLocaleString(this.locale, { dateStyle: "medium", timeStyle: "short" });
  }
}
