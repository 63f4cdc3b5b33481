import type { ChannelKind, OutgoingMessage } from '../alerts/message.js';

// The words of every account message: sign-up, lost-key recovery, channel confirmation and
// receiver invitation. Each says what happens if the reader does nothing (nothing), because
// these go to addresses whose owners did not necessarily ask for them.

const PRODUCT = 'Serverless Monitor';

export function signupMessage(to: string, link: string, validFor: string): OutgoingMessage {
  return {
    channel: 'email',
    to,
    subject: `Confirm your ${PRODUCT} account`,
    text: [
      `Someone (we hope you) asked to create a ${PRODUCT} account for ${to}.`,
      '',
      'To confirm, open this link and press the button. The page then shows your API key, once:',
      link,
      '',
      `The link works once and expires in ${validFor}.`,
      'If you did not ask for this, ignore this message: no account is created without your confirmation.',
    ].join('\n'),
  };
}

/** Sign-up with an address that has an account already: the same kind of mail, so a sign-up reveals nothing. */
export function recoveryMessage(to: string, link: string, validFor: string): OutgoingMessage {
  return {
    channel: 'email',
    to,
    subject: `Your ${PRODUCT} account`,
    text: [
      `Someone (we hope you) asked to sign up for ${PRODUCT} with ${to}, which already has an account. Nothing has changed.`,
      '',
      'If you lost your API key, open this link and press the button to get a new one (your other keys keep working):',
      link,
      '',
      `The link works once and expires in ${validFor}.`,
      'If you did not ask for this, ignore this message.',
    ].join('\n'),
  };
}

export function channelConfirmationMessage(
  kind: ChannelKind,
  to: string,
  link: string,
  accountEmail: string,
  validFor: string,
): OutgoingMessage {
  switch (kind) {
    case 'email':
      return {
        channel: 'email',
        to,
        subject: `Confirm ${PRODUCT} alerts to this address`,
        text: [
          `The ${PRODUCT} account of ${accountEmail} wants to send monitoring alerts to ${to}.`,
          '',
          'To agree, open this link and press the button:',
          link,
          '',
          `The link works once and expires in ${validFor}. If you ignore this message, no alerts are sent here.`,
        ].join('\n'),
      };
    case 'sms':
      // One segment (160 GSM characters): 35 of text and a link of about 65 plus the base URL.
      return { channel: 'sms', to, text: `Confirm ${PRODUCT} alerts: ${link}` };
    case 'webhook':
      return {
        channel: 'webhook',
        to,
        subject: `Confirm ${PRODUCT} alerts to this webhook`,
        text: `The ${PRODUCT} account of ${accountEmail} wants to send alerts to this webhook. To agree, POST to ${link} (or open it and press the button) within ${validFor}.`,
        data: { type: 'confirmation', confirmUrl: link },
      };
  }
}

export function invitationMessage(to: string, link: string, ownerEmail: string, monitorName: string, baseUrl: string, validFor: string): OutgoingMessage {
  return {
    channel: 'email',
    to,
    subject: `${ownerEmail} invites you to receive alerts for "${monitorName}"`,
    text: [
      `${ownerEmail} would like ${PRODUCT} to alert you when the monitor "${monitorName}" fails.`,
      '',
      'To accept, open this link and press the button:',
      link,
      '',
      `You need a ${PRODUCT} account for ${to} to accept (create one with POST ${baseUrl}/api/accounts).`,
      'Once you accept, you choose which of your own channels are alerted, and when; you can leave at any time.',
      `The link works once and expires in ${validFor}. If you ignore this message, you receive nothing.`,
    ].join('\n'),
  };
}
