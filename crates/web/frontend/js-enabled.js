// Loaded synchronously at the top of <body> (instead of GOV.UK Frontend's inline snippet)
// so that the Content-Security-Policy needs no inline script.
document.body.className += ' js-enabled' + ('noModule' in HTMLScriptElement.prototype ? ' govuk-frontend-supported' : '');
