// The registrations of recently used VPCs as the store holds them, so that a
// registration in a VPC that had one a moment ago is planned without reading
// the VPC again (the read was a quarter of the store's time per message).
// Kept with each committed write (a plan's working copy is its VPC after the
// write); a write that may not have committed drops the VPC, so the next
// message reads it. Bounded by registrations, not VPCs: the least recently
// used VPCs go first, and a VPC larger than the bound is never kept.
import type { Registration } from './routes.js';

/** Registrations kept at most (about 200 bytes each). */
export const DEFAULT_VPC_CACHE_REGISTRATIONS = 20_000;

export class VpcCache {
  /** In order of use, least recent first. */
  private readonly vpcs = new Map<string, readonly Registration[]>();
  private registrations = 0;

  constructor(private readonly capacity = DEFAULT_VPC_CACHE_REGISTRATIONS) {}

  get(vpc: string): readonly Registration[] | undefined {
    const kept = this.vpcs.get(vpc);
    if (kept) {
      this.vpcs.delete(vpc);
      this.vpcs.set(vpc, kept);
    }
    return kept;
  }

  /** What the store holds for `vpc` now (read, or just written). */
  set(vpc: string, registrations: readonly Registration[]): void {
    this.drop(vpc);
    if (registrations.length > this.capacity) return;
    this.vpcs.set(vpc, registrations);
    this.registrations += registrations.length;
    for (const [oldest, kept] of this.vpcs) {
      if (this.registrations <= this.capacity) break;
      this.vpcs.delete(oldest);
      this.registrations -= kept.length;
    }
  }

  drop(vpc: string): void {
    const kept = this.vpcs.get(vpc);
    if (!kept) return;
    this.vpcs.delete(vpc);
    this.registrations -= kept.length;
  }
}
