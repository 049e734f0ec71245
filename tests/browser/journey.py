"""What every journey step checks on a phone: it fits, nothing is cut off, no text runs one character a line."""

from tests.browser.conftest import goto, horizontal_overflow, screenshot

# Visible text elements laid out narrower than two characters and taller than
# two lines (Chinese wrapping one character per line), and elements that end
# past the right edge of the screen without a scrolling box around them.
_LAYOUT_DEFECTS_JS = """() => {
  const found = [];
  const scrolls = (el) => {
    for (let p = el.parentElement; p; p = p.parentElement) {
      const o = getComputedStyle(p).overflowX;
      if (o === 'auto' || o === 'scroll' || o === 'hidden') return true;
    }
    return false;
  };
  const selector = 'td, th, dd, dt, label, legend, h1, h2, h3, .btn, .badge, .nav-link, .dropdown-item, option:checked';
  for (const el of document.querySelectorAll(selector)) {
    const text = (el.innerText || '').trim();
    if (text.length < 2) continue;
    const box = el.getBoundingClientRect();
    if (!box.width || !box.height) continue;
    const style = getComputedStyle(el);
    if (style.visibility === 'hidden') continue;
    const size = parseFloat(style.fontSize);
    const padding = parseFloat(style.paddingLeft) + parseFloat(style.paddingRight);
    if (box.width - padding < size * 1.9 && box.height > size * 2.6) {
      found.push('narrow ' + el.tagName + ' "' + text.slice(0, 12) + '" ' + Math.round(box.width) + 'px');
    }
    if (box.right > window.innerWidth + 1 && !scrolls(el)) {
      found.push('cut off ' + el.tagName + ' "' + text.slice(0, 12) + '" right=' + Math.round(box.right));
    }
  }
  for (const el of document.querySelectorAll('input, select, textarea')) {
    const box = el.getBoundingClientRect();
    if (box.width && box.right > window.innerWidth + 1 && !scrolls(el)) {
      found.push('cut off ' + el.tagName + ' ' + (el.name || '') + ' right=' + Math.round(box.right));
    }
  }
  return found;
}"""


def layout_defects(page) -> list[str]:
    return page.evaluate(_LAYOUT_DEFECTS_JS)


def check_page(page, name: str) -> None:
    """Screenshot the page, then: no sideways scroll, nothing cut off, no one-character columns."""
    screenshot(page, name)
    path = page.url.removeprefix(page.base_url)
    assert horizontal_overflow(page) <= 0, f"{path} scrolls sideways on a phone"
    assert layout_defects(page) == [], f"{path}: {layout_defects(page)}"


def visit(page, path: str, name: str) -> None:
    goto(page, path)
    check_page(page, name)


def open_from_workbench(page, href: str) -> None:
    """Burger, 工作台, the tool: the three taps a person makes to reach ``href``."""
    page.click(".navbar-toggler")
    with page.expect_navigation():
        page.click("#nav-work")
    with page.expect_navigation():
        page.locator(f'#work-items a[href="{href}"]').click()
    assert page.url.removeprefix(page.base_url).startswith(href), page.url
