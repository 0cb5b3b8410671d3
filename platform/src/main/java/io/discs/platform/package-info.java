/**
 * Contracts shared by every discs service: proxies, data objects, addresses, events, configuration.
 */
@ModuleGen(name = "discs", groupPackage = "io.discs")
package io.discs.platform;

import io.vertx.codegen.annotations.ModuleGen;
