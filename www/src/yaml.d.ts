// The examples' YAML files, bundled as their text (build.mjs: loader ".yaml": "text").
declare module "*.yaml" {
  const text: string;
  export default text;
}
