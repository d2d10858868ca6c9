import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { I18nextProvider } from 'react-i18next';
import { App } from './app';
import { startConsoleI18n } from './i18n/react-binding';
import { RenderFailure } from './render-failure';
import './styles.css';

const i18n = startConsoleI18n();

createRoot(document.getElementById('root') as HTMLElement).render(
  <StrictMode>
    <RenderFailure>
      <I18nextProvider i18n={i18n}>
        <App />
      </I18nextProvider>
    </RenderFailure>
  </StrictMode>,
);
