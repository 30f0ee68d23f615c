/// <reference lib="webworker" />
/** The engine's worker: a thin adapter from postMessage to SimHost. */
import type { Command } from '../protocol/messages';
import { SimHost } from './sim-host';

declare const self: DedicatedWorkerGlobalScope;

const host = new SimHost((event) => self.postMessage(event));
self.onmessage = (e: MessageEvent<Command>) => host.handle(e.data);
