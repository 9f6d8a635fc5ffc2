// "Copy link": copies the page's address (every view is a link) and says so in a live region.
// data: {module, styles, label, title, copied, copyThis}; copyThis has a {link} placeholder.

function element(tag, attributes = {}, text = "") {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  if (text) node.textContent = text;
  return node;
}

// Where the clipboard API is refused (no secure context): a hidden text area and "copy".
function copyByHand(text) {
  const area = element("textarea", { readonly: "" });
  area.value = text;
  area.style.position = "fixed";
  area.style.opacity = "0";
  document.body.append(area);
  area.select();
  let copied = false;
  try { copied = document.execCommand("copy"); } catch { copied = false; }
  area.remove();
  return copied;
}

export default function (component) {
  const { parentElement, data } = component;
  let box = parentElement.querySelector(".atlas-share");
  if (!box) {
    box = element("div", { class: "atlas-share" });
    const button = element("button", { type: "button", class: "atlas-copy-link" });
    const status = element("span", { class: "atlas-copy-status", role: "status",
                                     "aria-live": "polite" });
    box.append(button, status);
    parentElement.append(element("link", { rel: "stylesheet", href: data.styles }), box);
    button.addEventListener("click", () => {
      const link = window.location.href, words = box.words;
      const done = (copied) => {
        status.textContent = copied ? words.copied : words.copyThis.replace("{link}", link);
        window.atlasCopiedLink = link;
      };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(link).then(() => done(true), () => done(copyByHand(link)));
      } else {
        done(copyByHand(link));
      }
    });
  }
  box.words = data;
  const button = box.querySelector("button");
  button.textContent = data.label;
  button.title = data.title;
}
