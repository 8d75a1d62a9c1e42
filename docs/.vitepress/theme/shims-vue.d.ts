// Lets tsc type-check the theme's TypeScript (the .vue files are compiled by VitePress).
declare module '*.vue' {
  import type { DefineComponent } from 'vue';

  const component: DefineComponent;
  export default component;
}
