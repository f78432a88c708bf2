/** TODO */
@NullMarked
package dev.httpcache.key;

import org.jspecify.annotations.NullMarked;
