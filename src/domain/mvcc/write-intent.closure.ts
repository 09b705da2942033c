/**
 * addWrite and abortWrite on one chain (DESIGN.md §6): create or replace this transaction's write intent at the
 * head; remove it again. Results: `status`, `row` (the previous / removed intent's row), and on TX_MISMATCH the
 * current intent's txId in `intentTxId` (its newest commit in `item`). The txId check reads the intent's header.
 */
import { INVOKE_IN_PLACE, INVOKE_NOOP, INVOKE_REMOVE, type InvokeOutcome } from '../btree/btree';
import { copyBytes } from '../datapage/byte-copy';
import type { BinaryRow } from '../storage/binary-row';
import { ChainClosure } from './chain-closure';
import { TX_ID_BYTES } from './tx-id-bytes';

export class AddWriteClosure extends ChainClosure {
  readonly #txId = new Uint8Array(TX_ID_BYTES);
  #newRow: BinaryRow | null = null;
  #zone = 0;
  #part = 0;

  prepare(row: BinaryRow | null, txId: Uint8Array, commitZoneId: number, commitPartitionId: number): this {
    this.#newRow = row;
    copyBytes(txId, 0, this.#txId, 0, TX_ID_BYTES);
    this.#zone = commitZoneId;
    this.#part = commitPartitionId;
    return this;
  }

  protected apply(found: boolean): InvokeOutcome {
    const { item, versions, link } = this;
    if (found && item.hasWriteIntent) {
      versions.readHeader(item.headPage, item.headItem);
      if (!versions.isIntentOf(this.#txId, 0)) return this.refuse('TX_MISMATCH');
      this.row = versions.rowOfHeader(item.headPage, item.headItem);
      versions.intentMeta(this.#txId, this.#zone, this.#part)
        .replaceIntent(item.headPage, item.headItem, this.#newRow, item.newestPage, item.newestItem, link);
    } else {
      versions.intentMeta(this.#txId, this.#zone, this.#part)
        .insertIntent(this.#newRow, found ? item.headPage : 0, found ? item.headItem : 0, link);
    }
    item.setHead(link.pageId, link.itemId);
    item.setIntent();
    this.#newRow = null;
    return this.written(found);
  }
}

export class AbortWriteClosure extends ChainClosure {
  readonly #txId = new Uint8Array(TX_ID_BYTES);

  prepare(txId: Uint8Array): this {
    copyBytes(txId, 0, this.#txId, 0, TX_ID_BYTES);
    return this;
  }

  protected apply(found: boolean): InvokeOutcome {
    const { item, versions } = this;
    if (!found || !item.hasWriteIntent) {
      this.status = 'NO_WRITE_INTENT';
      return INVOKE_NOOP;
    }
    versions.readHeader(item.headPage, item.headItem);
    if (!versions.isIntentOf(this.#txId, 0)) return this.refuse('TX_MISMATCH');
    this.row = versions.rowOfHeader(item.headPage, item.headItem);
    versions.remove(item.headPage, item.headItem);
    if (!item.hasCommit) return INVOKE_REMOVE;
    item.setHead(item.newestPage, item.newestItem);
    item.clearIntent();
    return INVOKE_IN_PLACE;
  }
}
