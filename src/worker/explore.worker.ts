/// <reference lib="webworker" />
/** The explorer's worker: a thin adapter from postMessage to ExploreHost (its own worker, its own chunk). */
import type { ExploreCommand } from '../protocol/explore';
import { ExploreHost } from './explore-host';

declare const self: DedicatedWorkerGlobalScope;

const host = new ExploreHost((event) => self.postMessage(event));
self.onmessage = (e: MessageEvent<ExploreCommand>) => host.handle(e.data);
