/**
 * The contract test that every storage passes: extend {@link
 * dev.httpcache.storage.contract.StorageContract} and open a new, empty storage in {@code open()}.
 */
@NullMarked
package dev.httpcache.storage.contract;

import org.jspecify.annotations.NullMarked;
