import { mount } from 'svelte';
import App from './App.svelte';
import { createApiClient } from '../../shared/api-client.ts';
import { httpTransport } from './lib/http-transport.ts';
import './app.css';

// In Electron the preload has exposed `window.api`; in browser mode the page builds the same
// client over HTTP.
if (!(window as Partial<Window>).api) window.api = createApiClient(httpTransport());

mount(App, { target: document.getElementById('app')! });
