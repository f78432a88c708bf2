/** TODO */
@NullMarked
package dev.httpcache.policy;

import org.jspecify.annotations.NullMarked;
