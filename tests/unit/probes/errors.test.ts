import { describe, expect, it } from 'vitest';
import { classifyError, isLocalFault, ProbeFailure } from '../../../functions/probes/errors.js';

const systemError = (code: string, message = code): Error => Object.assign(new Error(message), { code });

describe('classifyError', () => {
  it('keeps a ProbeFailure as it is', () => {
    const failure = new ProbeFailure('content', 'keyword missing');
    expect(classifyError(failure, 'exchange')).toBe(failure);
  });

  it('classes resolver errors as dns with their code', () => {
    for (const code of ['ENOTFOUND', 'ESERVFAIL', 'ETIMEOUT', 'ECONNREFUSED', 'EAI_AGAIN']) {
      expect(classifyError(systemError(code), 'dns').toProbeError()).toMatchObject({ class: 'dns', code });
    }
  });

  it('classes connection errors as connect, and a kernel connect timeout as timeout', () => {
    expect(classifyError(systemError('ECONNREFUSED'), 'connect').toProbeError()).toEqual({ class: 'connect', message: 'connection refused', code: 'ECONNREFUSED' });
    expect(classifyError(systemError('EHOSTUNREACH'), 'connect').toProbeError()).toMatchObject({ class: 'connect', code: 'EHOSTUNREACH' });
    expect(classifyError(systemError('ETIMEDOUT'), 'connect').toProbeError()).toMatchObject({ class: 'timeout', code: 'ETIMEDOUT' });
  });

  it('classes handshake errors as tls and later errors by what they are', () => {
    expect(classifyError(systemError('ECONNRESET'), 'tls').errorClass).toBe('tls');
    expect(classifyError(systemError('ERR_SSL_WRONG_VERSION_NUMBER'), 'tls').errorClass).toBe('tls');
    expect(classifyError(systemError('ECONNRESET'), 'exchange').toProbeError()).toMatchObject({ class: 'protocol', code: 'ECONNRESET' });
    expect(classifyError(systemError('HPE_INVALID_CONSTANT', 'Expected HTTP/'), 'exchange').toProbeError()).toMatchObject({ class: 'protocol', code: 'HPE_INVALID_CONSTANT' });
    expect(classifyError('something odd', 'exchange').toProbeError()).toEqual({ class: 'protocol', message: 'something odd' });
  });
});

describe('isLocalFault', () => {
  it('is true for failures that say nothing about the target', () => {
    expect(isLocalFault({ class: 'timeout', message: '', code: 'ETIMEDOUT' })).toBe(true);
    for (const code of ['EAI_AGAIN', 'ESERVFAIL', 'ETIMEOUT', 'ECONNREFUSED', 'EREFUSED']) expect(isLocalFault({ class: 'dns', message: '', code })).toBe(true);
    for (const code of ['ENETUNREACH', 'EHOSTUNREACH']) expect(isLocalFault({ class: 'connect', message: '', code })).toBe(true);
  });

  it('is false for failures of the target', () => {
    expect(isLocalFault({ class: 'timeout', message: '' })).toBe(false);
    expect(isLocalFault({ class: 'dns', message: '', code: 'ENOTFOUND' })).toBe(false);
    expect(isLocalFault({ class: 'dns', message: '', code: 'ENODATA' })).toBe(false);
    expect(isLocalFault({ class: 'dns', message: '' })).toBe(false);
    expect(isLocalFault({ class: 'connect', message: '', code: 'ECONNREFUSED' })).toBe(false);
    for (const errorClass of ['tls', 'protocol', 'status', 'content', 'blocked'] as const) {
      expect(isLocalFault({ class: errorClass, message: '', code: 'ETIMEDOUT' })).toBe(false);
    }
  });
});
