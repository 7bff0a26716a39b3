// The world's import `log` (a function, imported by jco as a default export).
export { log as default } from './host.mjs';
