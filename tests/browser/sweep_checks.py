"""What the sweep checks on each page: width, narrow text, axe-core, foreign hosts, untranslated text, links.

axe-core is vendored from its npm package (tests/browser/vendor/axe-core/,
version in axe.min.js's header, MPL-2.0 LICENSE beside it) and injected from
that file; nothing is loaded from another host.
"""

import functools
import re
from pathlib import Path

from django.conf import settings
from django.utils.translation import trans_real

from tests.browser.journey import layout_defects

AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"

_AXE_RUN_JS = """async () => {
  const result = await axe.run(document, {resultTypes: ['violations']});
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => v.impact + ' ' + v.id + ': ' + v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | '));
}"""

# Every text of the page a person reads (menus folded behind the burger too),
# and the attributes that speak: placeholders, labels for screen readers, titles.
_TEXTS_JS = """() => {
  const texts = new Set();
  const skip = new Set(['SCRIPT', 'STYLE', 'NOSCRIPT', 'TEMPLATE', 'CODE', 'PRE']);
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (skip.has(node.parentElement.tagName)) continue;
    const text = node.textContent.replace(/\\s+/g, ' ').trim();
    if (text) texts.add(text);
  }
  for (const el of document.querySelectorAll('[placeholder], [aria-label], [title], [alt], input[type=submit][value]')) {
    for (const attr of ['placeholder', 'aria-label', 'title', 'alt', 'value']) {
      if (attr === 'value' && el.type !== 'submit') continue;
      const text = (el.getAttribute(attr) || '').trim();
      if (text) texts.add(text);
    }
  }
  texts.add(document.title.trim());
  return [...texts];
}"""

# Where a tap leads: links, and the buttons of forms that go to another URL.
_LINKS_JS = """() => [
  ...[...document.querySelectorAll('a[href]')].map((a) => a.href),
  ...[...document.querySelectorAll('form[action]')].map((f) => f.action),
].map((href) => new URL(href, location.href))
  .filter((url) => url.origin === location.origin)
  .map((url) => url.pathname)"""

# Language names in their own language (the language menu offers "English" on a Chinese page).
ENDONYMS = frozenset(name for _code, name in settings.LANGUAGES)

_OVERFLOW_JS = "() => document.scrollingElement.scrollWidth - window.innerWidth"


@functools.cache
def english_only_msgids() -> frozenset[str]:
    """English msgids whose Chinese msgstr differs: seen as such on a Chinese page, untranslated."""
    catalog = trans_real.translation("zh-hans")._catalog
    found = set()
    for key in catalog.keys():  # noqa: SIM118 (TranslationCatalog has no __iter__)
        if not isinstance(key, str):
            continue  # plural forms: (msgid, index)
        msgid = key.split("\x04")[-1]
        if catalog[key] == msgid or not re.search(r"[A-Za-z]{2}", msgid):
            continue
        if re.search(r"%\(|%s|%d|\{", msgid):
            continue  # a format: its filled-in text never equals the msgid
        found.add(msgid.strip())
    return frozenset(found - ENDONYMS)


def untranslated(page) -> list[str]:
    english = english_only_msgids()
    return sorted(text for text in page.evaluate(_TEXTS_JS) if text in english)


def axe_violations(page) -> list[str]:
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    return page.evaluate(_AXE_RUN_JS)


def overflow(page) -> int:
    return page.evaluate(_OVERFLOW_JS)


def link_paths(page) -> set[str]:
    return set(page.evaluate(_LINKS_JS))


def page_problems(page) -> list[str]:
    """Width, narrow text, untranslated text and axe's serious/critical findings of the open page."""
    problems = []
    lang = (page.locator("html").get_attribute("lang") or "").lower()
    if lang != "zh-hans":
        problems.append(f"html lang={lang!r}, not zh-hans")
    wider = overflow(page)
    if wider > 0:
        problems.append(f"scrolls sideways by {wider}px")
    problems += layout_defects(page)
    problems += [f"untranslated {text!r}" for text in untranslated(page)]
    problems += [f"axe {finding}" for finding in axe_violations(page)]
    return problems
