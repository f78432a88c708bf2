/** TODO */
@NullMarked
package dev.httpcache;

import org.jspecify.annotations.NullMarked;
