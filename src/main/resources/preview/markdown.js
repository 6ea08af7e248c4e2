// The CommonMark subset card details use (paragraphs, "- " lists, headings, **bold**, *emphasis*, `code`,
// [links](https://...)), built as DOM nodes: text never becomes markup, so a card cannot inject HTML or script.
"use strict";

const Markdown = (() => {
  const ENTITIES = { amp: "&", lt: "<", gt: ">", quot: "\"", apos: "'", nbsp: "\u00a0" };

  // Longest detail rendered: card details are short; a huge one must not stall the page.
  const MAX_LENGTH = 20000;

  // A backslash-escaped punctuation character is literal (CommonMark): held as a private-use character while the
  // inline patterns run, so "\[" never opens a link, and given back as itself in the text.
  function protectEscapes(text) {
    return text.replace(/\\([!-\/:-@[-`{-~])/g, (whole, c) => String.fromCharCode(0xe000 + c.charCodeAt(0)));
  }

  function restoreEscapes(text) {
    return text.replace(/[\ue000-\ue07f]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xe000));
  }

  // Mustache escapes what card templates interpolate; show the characters, not the entities.
  function decodeEntities(text) {
    return restoreEscapes(text.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-zA-Z]+);/g, (whole, name) => {
      if (name[0] === "#") {
        const code = name[1] === "x" || name[1] === "X" ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
        return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
      }
      return Object.prototype.hasOwnProperty.call(ENTITIES, name) ? ENTITIES[name] : whole;
    }));
  }

  /** The URL if it is http(s), else null: no javascript:, data: or other scheme ever becomes a link. */
  function safeUrl(href) {
    try {
      const url = new URL(href);
      return url.protocol === "https:" || url.protocol === "http:" ? url.href : null;
    } catch (e) {
      return null;
    }
  }

  const INLINE = /(\*\*([^*]+)\*\*)|(\*([^*\s][^*]*)\*)|(`([^`]+)`)|(\[([^\]]+)\]\(([^)\s]+)\))/;

  function appendInline(parent, text) {
    let rest = text;
    while (rest.length > 0) {
      const match = INLINE.exec(rest);
      if (!match) {
        parent.append(decodeEntities(rest));
        return;
      }
      if (match.index > 0) {
        parent.append(decodeEntities(rest.slice(0, match.index)));
      }
      if (match[1]) {
        const strong = document.createElement("strong");
        appendInline(strong, match[2]);
        parent.append(strong);
      } else if (match[3]) {
        const em = document.createElement("em");
        appendInline(em, match[4]);
        parent.append(em);
      } else if (match[5]) {
        const code = document.createElement("code");
        code.textContent = restoreEscapes(match[6]);
        parent.append(code);
      } else {
        const href = safeUrl(decodeEntities(match[9]));
        if (href) {
          const a = document.createElement("a");
          a.href = href;
          a.rel = "noopener noreferrer";
          a.target = "_blank";
          appendInline(a, match[8]);
          parent.append(a);
        } else {
          parent.append(decodeEntities(match[0]));
        }
      }
      rest = rest.slice(match.index + match[0].length);
    }
  }

  /** Renders markdown into a new element (a div). */
  function render(markdown) {
    const root = document.createElement("div");
    let list = null;
    let paragraph = null;
    const text = protectEscapes(String(markdown || "").slice(0, MAX_LENGTH));
    for (const line of text.split(/\r?\n/)) {
      const item = /^\s*[-*+]\s+(.*)$/.exec(line);
      const heading = /^(#{1,6})\s+(.*)$/.exec(line);
      if (line.trim() === "") {
        list = null;
        paragraph = null;
      } else if (item) {
        paragraph = null;
        if (!list) {
          list = document.createElement("ul");
          root.append(list);
        }
        const li = document.createElement("li");
        appendInline(li, item[1]);
        list.append(li);
      } else if (heading) {
        list = null;
        paragraph = null;
        const h = document.createElement("h" + Math.min(6, heading[1].length + 3));
        appendInline(h, heading[2]);
        root.append(h);
      } else if (list && /^\s+/.test(line)) {
        list.lastElementChild.append(" ");
        appendInline(list.lastElementChild, line.trim());
      } else {
        list = null;
        if (!paragraph) {
          paragraph = document.createElement("p");
          root.append(paragraph);
        } else {
          paragraph.append(" ");
        }
        appendInline(paragraph, line.trim());
      }
    }
    return root;
  }

  return { render, decodeEntities, safeUrl };
})();
