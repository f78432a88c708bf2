/** TODO */
@NullMarked
package dev.httpcache.storage;

import org.jspecify.annotations.NullMarked;
