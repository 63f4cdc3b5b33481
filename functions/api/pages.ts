import type { ConfirmationPreview, ConfirmationResult } from '../accounts/confirm.js';

// The few HTML pages people see: a confirmation link's page with its one button, and what
// pressing it did. Everything shown is escaped; the form posts back to the same URL.

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${escapeHtml(title)} · Serverless Monitor</title>
<style>
body { font: 16px/1.5 system-ui, sans-serif; max-width: 36rem; margin: 3rem auto; padding: 0 1rem; color: #1b1f24; }
h1 { font-size: 1.4rem; }
button { font: inherit; padding: .6rem 1.4rem; border: 0; border-radius: .4rem; background: #0b5cad; color: #fff; cursor: pointer; }
code { display: block; padding: .8rem; background: #f2f4f7; border-radius: .4rem; word-break: break-all; font-size: .95rem; }
.note { color: #57606a; font-size: .9rem; }
</style>
</head>
<body>
${body}
</body>
</html>
`;
}

export function confirmationPage(preview: ConfirmationPreview): string {
  return page(
    'Confirm',
    `<h1>Confirm</h1>
<p>${escapeHtml(preview.action)}</p>
<form method="post">
<button type="submit">Confirm</button>
</form>
<p class="note">Nothing happens until you press the button. If you did not expect this, close the page.</p>`,
  );
}

export function resultPage(result: ConfirmationResult): string {
  switch (result.kind) {
    case 'account':
      return page(
        'Your API key',
        `<h1>Your API key</h1>
<p>Account <strong>${escapeHtml(result.accountId)}</strong> is ready. This is its API key. It is shown this once: copy it now.</p>
<code>${escapeHtml(result.apiKey)}</code>
<p class="note">Send it as <em>Authorization: Bearer &lt;key&gt;</em>. Lost it? Sign up again with the same address to get a new one.</p>`,
      );
    case 'channel':
      return page('Confirmed', `<h1>Confirmed</h1><p>Alerts will be sent here from now on.</p>`);
    case 'receiver':
      return page('Accepted', `<h1>Accepted</h1><p>You will receive this monitor's alerts. Choose which of your channels get them with the API.</p>`);
  }
}

export function problemPage(title: string, message: string): string {
  return page(title, `<h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p>`);
}
