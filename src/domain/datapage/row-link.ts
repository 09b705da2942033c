/**
 * A row's address: the page id of its plain body or head fragment plus the item id on that page. On a page a
 * link takes 8 bytes (page-id.ts: writePageId(dv, off, pageId, itemId) / readPageId / readItemId); in code it is
 * passed as two numbers, and operations that produce a link fill a caller-owned RowLink (reuse one per call
 * site; never module-global) instead of allocating.
 */
export class RowLink {
  pageId = 0;
  itemId = 0;

  set(pageId: number, itemId: number): this {
    this.pageId = pageId;
    this.itemId = itemId;
    return this;
  }
}
