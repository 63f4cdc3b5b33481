import { createSocket, type RemoteInfo } from 'node:dgram';
import * as dnsPacket from 'dns-packet';
import { LOOPBACK, type TestServer } from './server.js';

// An authoritative DNS server on UDP loopback for probe tests, answering from a zone given
// in dns-packet's record shapes:
//
//   startDnsServer({
//     'web.test': { A: ['192.0.2.10'], MX: [{ preference: 10, exchange: 'mail.web.test' }] },
//     'broken.test': 'servfail',     // answers SERVFAIL
//     'silent.test': 'drop',         // never answers (resolver timeout)
//   })
//
// A name absent from the zone is NXDOMAIN; a known name without the asked type is an empty
// NOERROR answer (ENODATA). Names match without regard to case.

export interface ZoneRecords {
  A?: string[];
  AAAA?: string[];
  CNAME?: string[];
  NS?: string[];
  PTR?: string[];
  MX?: dnsPacket.MxData[];
  TXT?: dnsPacket.TxtData[];
  SOA?: dnsPacket.SoaData[];
  SRV?: dnsPacket.SrvData[];
  CAA?: dnsPacket.CaaData[];
}

export type Zone = Record<string, ZoneRecords | 'servfail' | 'drop'>;

export interface DnsTestServer extends TestServer {
  /** `127.0.0.1:<port>`, as ProbeOptions.dnsServers and expect.server take it. */
  readonly server: string;
  /** Questions received, as "name TYPE". */
  readonly queries: string[];
}

const NXDOMAIN = 3;
const SERVFAIL = 2;

function answer(zone: Zone, query: dnsPacket.DecodedPacket): Buffer | undefined {
  const question = query.questions?.[0];
  const name = question?.name.toLowerCase() ?? '';
  const entry = Object.entries(zone).find(([key]) => key.toLowerCase() === name)?.[1];
  if (entry === 'drop') return undefined;
  const flags = dnsPacket.AUTHORITATIVE_ANSWER | dnsPacket.RECURSION_AVAILABLE;
  const base = { type: 'response' as const, id: query.id ?? 0, questions: query.questions ?? [] };
  if (entry === undefined) return dnsPacket.encode({ ...base, flags: flags | NXDOMAIN });
  if (entry === 'servfail') return dnsPacket.encode({ ...base, flags: flags | SERVFAIL });
  const type = question?.type as keyof ZoneRecords;
  const records = (entry[type] ?? []) as unknown[];
  const answers = records.map((data) => ({ type, name: question?.name ?? '', ttl: 60, class: 'IN', data }) as dnsPacket.Answer);
  return dnsPacket.encode({ ...base, flags, answers });
}

export async function startDnsServer(zone: Zone): Promise<DnsTestServer> {
  const socket = createSocket('udp4');
  const queries: string[] = [];
  socket.on('message', (message: Buffer, remote: RemoteInfo) => {
    let query: dnsPacket.DecodedPacket;
    try {
      query = dnsPacket.decode(message);
    } catch {
      return;
    }
    const question = query.questions?.[0];
    if (question) queries.push(`${question.name} ${question.type}`);
    const response = answer(zone, query);
    if (response) socket.send(response, remote.port, remote.address);
  });
  const port = await new Promise<number>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(0, LOOPBACK, () => {
      socket.off('error', reject);
      resolve(socket.address().port);
    });
  });
  return {
    host: LOOPBACK,
    port,
    server: `${LOOPBACK}:${port}`,
    queries,
    close: () => new Promise((resolve) => socket.close(() => resolve())),
  };
}
