// The page's first script: small, so it runs as soon as it arrives (boot.ts says what it starts), while
// the app's chunk — React, react-dom, i18next and the screens — is still arriving beside it.
import './boot';
import './styles.css';

void import('./app-entry');
