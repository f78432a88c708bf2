/** TODO */
@NullMarked
package dev.httpcache.jdk;

import org.jspecify.annotations.NullMarked;
