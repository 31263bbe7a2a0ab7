export { SUPPORTED_LOCALES, SOURCE_LOCALE, canonical, resolveLocale, formattingLocale, textDirection, type SupportedLocale } from './locales.js';
export { loadCatalogues, cataloguePath, TranslationCatalogueError, type Messages } from './catalogues.js';
export { translate, translate as t, messages, hasTranslation, type MessageArgs } from './translate.js';
export { preferredLocale, requestLocale } from './accept-language.js';
export { sourceMessages, translationCoverage, type Coverage } from './coverage.js';
