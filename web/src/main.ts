import { mount } from 'svelte';
// the UI font comes with the app, so Chinese reads the same on machines without CJK fonts
import '@fontsource/noto-sans-sc/400.css';
import '@fontsource/noto-sans-sc/700.css';
import './app.css';
import App from './App.svelte';
import { i18n } from './lib/i18n/i18n.svelte.ts';
import { applyTokens } from './lib/ui/tokens.ts';

applyTokens(); // the palette's --gm-… variables, before anything is drawn
i18n.set(i18n.locale); // sync <html lang> and the title with the chosen language
mount(App, { target: document.getElementById('app')! });
