/** TODO */
@NullMarked
package dev.httpcache.codec;

import org.jspecify.annotations.NullMarked;
