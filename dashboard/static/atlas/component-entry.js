// The entry of our Streamlit components (the ranked picker, copy link). Streamlit sends this
// text with every rerun, so it only loads the component's module (data.module, a static file
// the browser keeps) and hands the component on.
export default function (component) {
  const url = new URL(component.data.module, window.location.href).href;
  import(url).then((module) => module.default(component));
}
