import type { Theme } from 'vitepress';
import DefaultTheme from 'vitepress/theme';
import MnistDemo from './MnistDemo.vue';
import PluginCatalogue from './PluginCatalogue.vue';
import RunSnippet from './RunSnippet.vue';
import './custom.css';

export default {
  extends: DefaultTheme,
  enhanceApp({ app }) {
    app.component('RunSnippet', RunSnippet);
    app.component('MnistDemo', MnistDemo);
    app.component('PluginCatalogue', PluginCatalogue);
  },
} satisfies Theme;
