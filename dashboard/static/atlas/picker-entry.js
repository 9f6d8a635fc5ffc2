// The ranked picker's component entry. Streamlit sends this text with every rerun, so it only
// loads picker.js and picker.css (static files the browser keeps) and hands the component on.
export default function (component) {
  const url = new URL(component.data.module, window.location.href).href;
  import(url).then((picker) => picker.default(component));
}
