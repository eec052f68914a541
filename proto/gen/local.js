/*eslint-disable block-scoped-var, id-length, no-control-regex, no-magic-numbers, no-prototype-builtins, no-redeclare, no-shadow, no-var, sort-vars*/
import $protobuf from "protobufjs/minimal.js";

// Common aliases
const $Reader = $protobuf.Reader, $Writer = $protobuf.Writer, $util = $protobuf.util;

// Exported root namespace
const $root = $protobuf.roots["default"] || ($protobuf.roots["default"] = {});

export const local = $root.local = (() => {

    /**
     * Namespace local.
     * @exports local
     * @namespace
     */
    const local = {};

    local.v1 = (function() {

        /**
         * Namespace v1.
         * @memberof local
         * @namespace
         */
        const v1 = {};

        v1.Local = (function() {

            /**
             * Constructs a new Local service.
             * @memberof local.v1
             * @classdesc Represents a Local
             * @extends $protobuf.rpc.Service
             * @constructor
             * @param {$protobuf.RPCImpl} rpcImpl RPC implementation
             * @param {boolean} [requestDelimited=false] Whether requests are length-delimited
             * @param {boolean} [responseDelimited=false] Whether responses are length-delimited
             */
            function Local(rpcImpl, requestDelimited, responseDelimited) {
                $protobuf.rpc.Service.call(this, rpcImpl, requestDelimited, responseDelimited);
            }

            (Local.prototype = Object.create($protobuf.rpc.Service.prototype)).constructor = Local;

            /**
             * Creates new Local service using the specified rpc implementation.
             * @function create
             * @memberof local.v1.Local
             * @static
             * @param {$protobuf.RPCImpl} rpcImpl RPC implementation
             * @param {boolean} [requestDelimited=false] Whether requests are length-delimited
             * @param {boolean} [responseDelimited=false] Whether responses are length-delimited
             * @returns {Local} RPC service. Useful where requests and/or responses are streamed.
             */
            Local.create = function create(rpcImpl, requestDelimited, responseDelimited) {
                return new this(rpcImpl, requestDelimited, responseDelimited);
            };

            /**
             * Callback as used by {@link local.v1.Local#register}.
             * @memberof local.v1.Local
             * @typedef RegisterCallback
             * @type {function}
             * @param {Error|null} error Error, if any
             * @param {local.v1.RegisterReply} [response] RegisterReply
             */

            /**
             * Calls Register.
             * @function register
             * @memberof local.v1.Local
             * @instance
             * @param {local.v1.IRegisterRequest} request RegisterRequest message or plain object
             * @param {local.v1.Local.RegisterCallback} callback Node-style callback called with the error, if any, and RegisterReply
             * @returns {undefined}
             * @variation 1
             */
            Object.defineProperty(Local.prototype.register = function register(request, callback) {
                return $protobuf.rpc.Service.prototype.rpcCall.call(this, register, $root.local.v1.RegisterRequest, $root.local.v1.RegisterReply, request, callback);
            }, "name", { value: "Register" });

            /**
             * Calls Register.
             * @function register
             * @memberof local.v1.Local
             * @instance
             * @param {local.v1.IRegisterRequest} request RegisterRequest message or plain object
             * @returns {Promise<local.v1.RegisterReply>} Promise
             * @variation 2
             */

            /**
             * Callback as used by {@link local.v1.Local#deregister}.
             * @memberof local.v1.Local
             * @typedef DeregisterCallback
             * @type {function}
             * @param {Error|null} error Error, if any
             * @param {local.v1.DeregisterReply} [response] DeregisterReply
             */

            /**
             * Calls Deregister.
             * @function deregister
             * @memberof local.v1.Local
             * @instance
             * @param {local.v1.IDeregisterRequest} request DeregisterRequest message or plain object
             * @param {local.v1.Local.DeregisterCallback} callback Node-style callback called with the error, if any, and DeregisterReply
             * @returns {undefined}
             * @variation 1
             */
            Object.defineProperty(Local.prototype.deregister = function deregister(request, callback) {
                return $protobuf.rpc.Service.prototype.rpcCall.call(this, deregister, $root.local.v1.DeregisterRequest, $root.local.v1.DeregisterReply, request, callback);
            }, "name", { value: "Deregister" });

            /**
             * Calls Deregister.
             * @function deregister
             * @memberof local.v1.Local
             * @instance
             * @param {local.v1.IDeregisterRequest} request DeregisterRequest message or plain object
             * @returns {Promise<local.v1.DeregisterReply>} Promise
             * @variation 2
             */

            return Local;
        })();

        v1.RegisterRequest = (function() {

            /**
             * Properties of a RegisterRequest.
             * @memberof local.v1
             * @interface IRegisterRequest
             * @property {string|null} [vpc] RegisterRequest vpc
             * @property {string|null} [vpcattachment] RegisterRequest vpcattachment
             * @property {Array.<string>|null} [networks] RegisterRequest networks
             */

            /**
             * Constructs a new RegisterRequest.
             * @memberof local.v1
             * @classdesc Represents a RegisterRequest.
             * @implements IRegisterRequest
             * @constructor
             * @param {local.v1.IRegisterRequest=} [p] Properties to set
             */
            function RegisterRequest(p) {
                this.networks = [];
                if (p)
                    for (var ks = Object.keys(p), i = 0; i < ks.length; ++i)
                        if (p[ks[i]] != null && ks[i] !== "__proto__")
                            this[ks[i]] = p[ks[i]];
            }

            /**
             * RegisterRequest vpc.
             * @member {string} vpc
             * @memberof local.v1.RegisterRequest
             * @instance
             */
            RegisterRequest.prototype.vpc = "";

            /**
             * RegisterRequest vpcattachment.
             * @member {string} vpcattachment
             * @memberof local.v1.RegisterRequest
             * @instance
             */
            RegisterRequest.prototype.vpcattachment = "";

            /**
             * RegisterRequest networks.
             * @member {Array.<string>} networks
             * @memberof local.v1.RegisterRequest
             * @instance
             */
            RegisterRequest.prototype.networks = $util.emptyArray;

            /**
             * Creates a new RegisterRequest instance using the specified properties.
             * @function create
             * @memberof local.v1.RegisterRequest
             * @static
             * @param {local.v1.IRegisterRequest=} [properties] Properties to set
             * @returns {local.v1.RegisterRequest} RegisterRequest instance
             */
            RegisterRequest.create = function create(properties) {
                return new RegisterRequest(properties);
            };

            /**
             * Encodes the specified RegisterRequest message. Does not implicitly {@link local.v1.RegisterRequest.verify|verify} messages.
             * @function encode
             * @memberof local.v1.RegisterRequest
             * @static
             * @param {local.v1.IRegisterRequest} m RegisterRequest message or plain object to encode
             * @param {$protobuf.Writer} [w] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            RegisterRequest.encode = function encode(m, w, q) {
                if (!w)
                    w = $Writer.create();
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                if (m.vpc != null && Object.hasOwnProperty.call(m, "vpc"))
                    w.uint32(10).string(m.vpc);
                if (m.vpcattachment != null && Object.hasOwnProperty.call(m, "vpcattachment"))
                    w.uint32(18).string(m.vpcattachment);
                if (m.networks != null && m.networks.length) {
                    for (var i = 0; i < m.networks.length; ++i)
                        w.uint32(26).string(m.networks[i]);
                }
                return w;
            };

            /**
             * Decodes a RegisterRequest message from the specified reader or buffer.
             * @function decode
             * @memberof local.v1.RegisterRequest
             * @static
             * @param {$protobuf.Reader|Uint8Array} r Reader or buffer to decode from
             * @param {number} [l] Message length if known beforehand
             * @returns {local.v1.RegisterRequest} RegisterRequest
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            RegisterRequest.decode = function decode(r, l, e, n) {
                if (!(r instanceof $Reader))
                    r = $Reader.create(r);
                if (n === undefined)
                    n = 0;
                if (n > $Reader.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                var c, m;
                if (l === undefined)
                    c = r.len;
                else {
                    c = r.pos + l;
                    if (c > r.len)
                        throw RangeError("index out of range");
                    l = r.len;
                    r.len = c;
                }
                m = new $root.local.v1.RegisterRequest();
                while (r.pos < c) {
                    var t = r.uint32();
                    if (t === e)
                        break;
                    switch (t >>> 3) {
                    case 1: {
                            m.vpc = r.string();
                            break;
                        }
                    case 2: {
                            m.vpcattachment = r.string();
                            break;
                        }
                    case 3: {
                            if (!(m.networks && m.networks.length))
                                m.networks = [];
                            m.networks.push(r.string());
                            break;
                        }
                    default:
                        r.skipType(t & 7, n);
                        break;
                    }
                }
                if (l !== undefined) {
                    if (r.pos !== c)
                        throw RangeError("index out of range");
                    r.len = l;
                }
                return m;
            };

            /**
             * Creates a RegisterRequest message from a plain object. Also converts values to their respective internal types.
             * @function fromObject
             * @memberof local.v1.RegisterRequest
             * @static
             * @param {Object.<string,*>} d Plain object
             * @returns {local.v1.RegisterRequest} RegisterRequest
             */
            RegisterRequest.fromObject = function fromObject(d, n) {
                if (d instanceof $root.local.v1.RegisterRequest)
                    return d;
                if (!$util.isObject(d))
                    throw TypeError(".local.v1.RegisterRequest: object expected");
                if (n === undefined)
                    n = 0;
                if (n > $util.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                var m = new $root.local.v1.RegisterRequest();
                if (d.vpc != null) {
                    m.vpc = String(d.vpc);
                }
                if (d.vpcattachment != null) {
                    m.vpcattachment = String(d.vpcattachment);
                }
                if (d.networks) {
                    if (!Array.isArray(d.networks))
                        throw TypeError(".local.v1.RegisterRequest.networks: array expected");
                    m.networks = [];
                    for (var i = 0; i < d.networks.length; ++i) {
                        m.networks[i] = String(d.networks[i]);
                    }
                }
                return m;
            };

            /**
             * Creates a plain object from a RegisterRequest message. Also converts values to other types if specified.
             * @function toObject
             * @memberof local.v1.RegisterRequest
             * @static
             * @param {local.v1.RegisterRequest} m RegisterRequest
             * @param {$protobuf.IConversionOptions} [o] Conversion options
             * @returns {Object.<string,*>} Plain object
             */
            RegisterRequest.toObject = function toObject(m, o, q) {
                if (!o)
                    o = {};
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                var d = {};
                if (o.arrays || o.defaults) {
                    d.networks = [];
                }
                if (o.defaults) {
                    d.vpc = "";
                    d.vpcattachment = "";
                }
                if (m.vpc != null && Object.hasOwnProperty.call(m, "vpc")) {
                    d.vpc = m.vpc;
                }
                if (m.vpcattachment != null && Object.hasOwnProperty.call(m, "vpcattachment")) {
                    d.vpcattachment = m.vpcattachment;
                }
                if (m.networks && m.networks.length) {
                    d.networks = [];
                    for (var j = 0; j < m.networks.length; ++j) {
                        d.networks[j] = m.networks[j];
                    }
                }
                return d;
            };

            /**
             * Converts this RegisterRequest to JSON.
             * @function toJSON
             * @memberof local.v1.RegisterRequest
             * @instance
             * @returns {Object.<string,*>} JSON object
             */
            RegisterRequest.prototype.toJSON = function toJSON() {
                return this.constructor.toObject(this, $protobuf.util.toJSONOptions);
            };

            /**
             * Gets the default type url for RegisterRequest
             * @function getTypeUrl
             * @memberof local.v1.RegisterRequest
             * @static
             * @param {string} [typeUrlPrefix] your custom typeUrlPrefix(default "type.googleapis.com")
             * @returns {string} The default type url
             */
            RegisterRequest.getTypeUrl = function getTypeUrl(typeUrlPrefix) {
                if (typeUrlPrefix === undefined) {
                    typeUrlPrefix = "type.googleapis.com";
                }
                return typeUrlPrefix + "/local.v1.RegisterRequest";
            };

            return RegisterRequest;
        })();

        v1.RegisterReply = (function() {

            /**
             * Properties of a RegisterReply.
             * @memberof local.v1
             * @interface IRegisterReply
             * @property {boolean|null} [confirmed] RegisterReply confirmed
             */

            /**
             * Constructs a new RegisterReply.
             * @memberof local.v1
             * @classdesc Represents a RegisterReply.
             * @implements IRegisterReply
             * @constructor
             * @param {local.v1.IRegisterReply=} [p] Properties to set
             */
            function RegisterReply(p) {
                if (p)
                    for (var ks = Object.keys(p), i = 0; i < ks.length; ++i)
                        if (p[ks[i]] != null && ks[i] !== "__proto__")
                            this[ks[i]] = p[ks[i]];
            }

            /**
             * RegisterReply confirmed.
             * @member {boolean} confirmed
             * @memberof local.v1.RegisterReply
             * @instance
             */
            RegisterReply.prototype.confirmed = false;

            /**
             * Creates a new RegisterReply instance using the specified properties.
             * @function create
             * @memberof local.v1.RegisterReply
             * @static
             * @param {local.v1.IRegisterReply=} [properties] Properties to set
             * @returns {local.v1.RegisterReply} RegisterReply instance
             */
            RegisterReply.create = function create(properties) {
                return new RegisterReply(properties);
            };

            /**
             * Encodes the specified RegisterReply message. Does not implicitly {@link local.v1.RegisterReply.verify|verify} messages.
             * @function encode
             * @memberof local.v1.RegisterReply
             * @static
             * @param {local.v1.IRegisterReply} m RegisterReply message or plain object to encode
             * @param {$protobuf.Writer} [w] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            RegisterReply.encode = function encode(m, w, q) {
                if (!w)
                    w = $Writer.create();
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                if (m.confirmed != null && Object.hasOwnProperty.call(m, "confirmed"))
                    w.uint32(8).bool(m.confirmed);
                return w;
            };

            /**
             * Decodes a RegisterReply message from the specified reader or buffer.
             * @function decode
             * @memberof local.v1.RegisterReply
             * @static
             * @param {$protobuf.Reader|Uint8Array} r Reader or buffer to decode from
             * @param {number} [l] Message length if known beforehand
             * @returns {local.v1.RegisterReply} RegisterReply
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            RegisterReply.decode = function decode(r, l, e, n) {
                if (!(r instanceof $Reader))
                    r = $Reader.create(r);
                if (n === undefined)
                    n = 0;
                if (n > $Reader.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                var c, m;
                if (l === undefined)
                    c = r.len;
                else {
                    c = r.pos + l;
                    if (c > r.len)
                        throw RangeError("index out of range");
                    l = r.len;
                    r.len = c;
                }
                m = new $root.local.v1.RegisterReply();
                while (r.pos < c) {
                    var t = r.uint32();
                    if (t === e)
                        break;
                    switch (t >>> 3) {
                    case 1: {
                            m.confirmed = r.bool();
                            break;
                        }
                    default:
                        r.skipType(t & 7, n);
                        break;
                    }
                }
                if (l !== undefined) {
                    if (r.pos !== c)
                        throw RangeError("index out of range");
                    r.len = l;
                }
                return m;
            };

            /**
             * Creates a RegisterReply message from a plain object. Also converts values to their respective internal types.
             * @function fromObject
             * @memberof local.v1.RegisterReply
             * @static
             * @param {Object.<string,*>} d Plain object
             * @returns {local.v1.RegisterReply} RegisterReply
             */
            RegisterReply.fromObject = function fromObject(d, n) {
                if (d instanceof $root.local.v1.RegisterReply)
                    return d;
                if (!$util.isObject(d))
                    throw TypeError(".local.v1.RegisterReply: object expected");
                if (n === undefined)
                    n = 0;
                if (n > $util.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                var m = new $root.local.v1.RegisterReply();
                if (d.confirmed != null) {
                    m.confirmed = Boolean(d.confirmed);
                }
                return m;
            };

            /**
             * Creates a plain object from a RegisterReply message. Also converts values to other types if specified.
             * @function toObject
             * @memberof local.v1.RegisterReply
             * @static
             * @param {local.v1.RegisterReply} m RegisterReply
             * @param {$protobuf.IConversionOptions} [o] Conversion options
             * @returns {Object.<string,*>} Plain object
             */
            RegisterReply.toObject = function toObject(m, o, q) {
                if (!o)
                    o = {};
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                var d = {};
                if (o.defaults) {
                    d.confirmed = false;
                }
                if (m.confirmed != null && Object.hasOwnProperty.call(m, "confirmed")) {
                    d.confirmed = m.confirmed;
                }
                return d;
            };

            /**
             * Converts this RegisterReply to JSON.
             * @function toJSON
             * @memberof local.v1.RegisterReply
             * @instance
             * @returns {Object.<string,*>} JSON object
             */
            RegisterReply.prototype.toJSON = function toJSON() {
                return this.constructor.toObject(this, $protobuf.util.toJSONOptions);
            };

            /**
             * Gets the default type url for RegisterReply
             * @function getTypeUrl
             * @memberof local.v1.RegisterReply
             * @static
             * @param {string} [typeUrlPrefix] your custom typeUrlPrefix(default "type.googleapis.com")
             * @returns {string} The default type url
             */
            RegisterReply.getTypeUrl = function getTypeUrl(typeUrlPrefix) {
                if (typeUrlPrefix === undefined) {
                    typeUrlPrefix = "type.googleapis.com";
                }
                return typeUrlPrefix + "/local.v1.RegisterReply";
            };

            return RegisterReply;
        })();

        v1.DeregisterRequest = (function() {

            /**
             * Properties of a DeregisterRequest.
             * @memberof local.v1
             * @interface IDeregisterRequest
             * @property {string|null} [vpc] DeregisterRequest vpc
             * @property {string|null} [vpcattachment] DeregisterRequest vpcattachment
             * @property {Array.<string>|null} [networks] DeregisterRequest networks
             */

            /**
             * Constructs a new DeregisterRequest.
             * @memberof local.v1
             * @classdesc Represents a DeregisterRequest.
             * @implements IDeregisterRequest
             * @constructor
             * @param {local.v1.IDeregisterRequest=} [p] Properties to set
             */
            function DeregisterRequest(p) {
                this.networks = [];
                if (p)
                    for (var ks = Object.keys(p), i = 0; i < ks.length; ++i)
                        if (p[ks[i]] != null && ks[i] !== "__proto__")
                            this[ks[i]] = p[ks[i]];
            }

            /**
             * DeregisterRequest vpc.
             * @member {string} vpc
             * @memberof local.v1.DeregisterRequest
             * @instance
             */
            DeregisterRequest.prototype.vpc = "";

            /**
             * DeregisterRequest vpcattachment.
             * @member {string} vpcattachment
             * @memberof local.v1.DeregisterRequest
             * @instance
             */
            DeregisterRequest.prototype.vpcattachment = "";

            /**
             * DeregisterRequest networks.
             * @member {Array.<string>} networks
             * @memberof local.v1.DeregisterRequest
             * @instance
             */
            DeregisterRequest.prototype.networks = $util.emptyArray;

            /**
             * Creates a new DeregisterRequest instance using the specified properties.
             * @function create
             * @memberof local.v1.DeregisterRequest
             * @static
             * @param {local.v1.IDeregisterRequest=} [properties] Properties to set
             * @returns {local.v1.DeregisterRequest} DeregisterRequest instance
             */
            DeregisterRequest.create = function create(properties) {
                return new DeregisterRequest(properties);
            };

            /**
             * Encodes the specified DeregisterRequest message. Does not implicitly {@link local.v1.DeregisterRequest.verify|verify} messages.
             * @function encode
             * @memberof local.v1.DeregisterRequest
             * @static
             * @param {local.v1.IDeregisterRequest} m DeregisterRequest message or plain object to encode
             * @param {$protobuf.Writer} [w] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            DeregisterRequest.encode = function encode(m, w, q) {
                if (!w)
                    w = $Writer.create();
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                if (m.vpc != null && Object.hasOwnProperty.call(m, "vpc"))
                    w.uint32(10).string(m.vpc);
                if (m.vpcattachment != null && Object.hasOwnProperty.call(m, "vpcattachment"))
                    w.uint32(18).string(m.vpcattachment);
                if (m.networks != null && m.networks.length) {
                    for (var i = 0; i < m.networks.length; ++i)
                        w.uint32(26).string(m.networks[i]);
                }
                return w;
            };

            /**
             * Decodes a DeregisterRequest message from the specified reader or buffer.
             * @function decode
             * @memberof local.v1.DeregisterRequest
             * @static
             * @param {$protobuf.Reader|Uint8Array} r Reader or buffer to decode from
             * @param {number} [l] Message length if known beforehand
             * @returns {local.v1.DeregisterRequest} DeregisterRequest
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            DeregisterRequest.decode = function decode(r, l, e, n) {
                if (!(r instanceof $Reader))
                    r = $Reader.create(r);
                if (n === undefined)
                    n = 0;
                if (n > $Reader.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                var c, m;
                if (l === undefined)
                    c = r.len;
                else {
                    c = r.pos + l;
                    if (c > r.len)
                        throw RangeError("index out of range");
                    l = r.len;
                    r.len = c;
                }
                m = new $root.local.v1.DeregisterRequest();
                while (r.pos < c) {
                    var t = r.uint32();
                    if (t === e)
                        break;
                    switch (t >>> 3) {
                    case 1: {
                            m.vpc = r.string();
                            break;
                        }
                    case 2: {
                            m.vpcattachment = r.string();
                            break;
                        }
                    case 3: {
                            if (!(m.networks && m.networks.length))
                                m.networks = [];
                            m.networks.push(r.string());
                            break;
                        }
                    default:
                        r.skipType(t & 7, n);
                        break;
                    }
                }
                if (l !== undefined) {
                    if (r.pos !== c)
                        throw RangeError("index out of range");
                    r.len = l;
                }
                return m;
            };

            /**
             * Creates a DeregisterRequest message from a plain object. Also converts values to their respective internal types.
             * @function fromObject
             * @memberof local.v1.DeregisterRequest
             * @static
             * @param {Object.<string,*>} d Plain object
             * @returns {local.v1.DeregisterRequest} DeregisterRequest
             */
            DeregisterRequest.fromObject = function fromObject(d, n) {
                if (d instanceof $root.local.v1.DeregisterRequest)
                    return d;
                if (!$util.isObject(d))
                    throw TypeError(".local.v1.DeregisterRequest: object expected");
                if (n === undefined)
                    n = 0;
                if (n > $util.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                var m = new $root.local.v1.DeregisterRequest();
                if (d.vpc != null) {
                    m.vpc = String(d.vpc);
                }
                if (d.vpcattachment != null) {
                    m.vpcattachment = String(d.vpcattachment);
                }
                if (d.networks) {
                    if (!Array.isArray(d.networks))
                        throw TypeError(".local.v1.DeregisterRequest.networks: array expected");
                    m.networks = [];
                    for (var i = 0; i < d.networks.length; ++i) {
                        m.networks[i] = String(d.networks[i]);
                    }
                }
                return m;
            };

            /**
             * Creates a plain object from a DeregisterRequest message. Also converts values to other types if specified.
             * @function toObject
             * @memberof local.v1.DeregisterRequest
             * @static
             * @param {local.v1.DeregisterRequest} m DeregisterRequest
             * @param {$protobuf.IConversionOptions} [o] Conversion options
             * @returns {Object.<string,*>} Plain object
             */
            DeregisterRequest.toObject = function toObject(m, o, q) {
                if (!o)
                    o = {};
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                var d = {};
                if (o.arrays || o.defaults) {
                    d.networks = [];
                }
                if (o.defaults) {
                    d.vpc = "";
                    d.vpcattachment = "";
                }
                if (m.vpc != null && Object.hasOwnProperty.call(m, "vpc")) {
                    d.vpc = m.vpc;
                }
                if (m.vpcattachment != null && Object.hasOwnProperty.call(m, "vpcattachment")) {
                    d.vpcattachment = m.vpcattachment;
                }
                if (m.networks && m.networks.length) {
                    d.networks = [];
                    for (var j = 0; j < m.networks.length; ++j) {
                        d.networks[j] = m.networks[j];
                    }
                }
                return d;
            };

            /**
             * Converts this DeregisterRequest to JSON.
             * @function toJSON
             * @memberof local.v1.DeregisterRequest
             * @instance
             * @returns {Object.<string,*>} JSON object
             */
            DeregisterRequest.prototype.toJSON = function toJSON() {
                return this.constructor.toObject(this, $protobuf.util.toJSONOptions);
            };

            /**
             * Gets the default type url for DeregisterRequest
             * @function getTypeUrl
             * @memberof local.v1.DeregisterRequest
             * @static
             * @param {string} [typeUrlPrefix] your custom typeUrlPrefix(default "type.googleapis.com")
             * @returns {string} The default type url
             */
            DeregisterRequest.getTypeUrl = function getTypeUrl(typeUrlPrefix) {
                if (typeUrlPrefix === undefined) {
                    typeUrlPrefix = "type.googleapis.com";
                }
                return typeUrlPrefix + "/local.v1.DeregisterRequest";
            };

            return DeregisterRequest;
        })();

        v1.DeregisterReply = (function() {

            /**
             * Properties of a DeregisterReply.
             * @memberof local.v1
             * @interface IDeregisterReply
             * @property {boolean|null} [confirmed] DeregisterReply confirmed
             */

            /**
             * Constructs a new DeregisterReply.
             * @memberof local.v1
             * @classdesc Represents a DeregisterReply.
             * @implements IDeregisterReply
             * @constructor
             * @param {local.v1.IDeregisterReply=} [p] Properties to set
             */
            function DeregisterReply(p) {
                if (p)
                    for (var ks = Object.keys(p), i = 0; i < ks.length; ++i)
                        if (p[ks[i]] != null && ks[i] !== "__proto__")
                            this[ks[i]] = p[ks[i]];
            }

            /**
             * DeregisterReply confirmed.
             * @member {boolean} confirmed
             * @memberof local.v1.DeregisterReply
             * @instance
             */
            DeregisterReply.prototype.confirmed = false;

            /**
             * Creates a new DeregisterReply instance using the specified properties.
             * @function create
             * @memberof local.v1.DeregisterReply
             * @static
             * @param {local.v1.IDeregisterReply=} [properties] Properties to set
             * @returns {local.v1.DeregisterReply} DeregisterReply instance
             */
            DeregisterReply.create = function create(properties) {
                return new DeregisterReply(properties);
            };

            /**
             * Encodes the specified DeregisterReply message. Does not implicitly {@link local.v1.DeregisterReply.verify|verify} messages.
             * @function encode
             * @memberof local.v1.DeregisterReply
             * @static
             * @param {local.v1.IDeregisterReply} m DeregisterReply message or plain object to encode
             * @param {$protobuf.Writer} [w] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            DeregisterReply.encode = function encode(m, w, q) {
                if (!w)
                    w = $Writer.create();
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                if (m.confirmed != null && Object.hasOwnProperty.call(m, "confirmed"))
                    w.uint32(8).bool(m.confirmed);
                return w;
            };

            /**
             * Decodes a DeregisterReply message from the specified reader or buffer.
             * @function decode
             * @memberof local.v1.DeregisterReply
             * @static
             * @param {$protobuf.Reader|Uint8Array} r Reader or buffer to decode from
             * @param {number} [l] Message length if known beforehand
             * @returns {local.v1.DeregisterReply} DeregisterReply
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            DeregisterReply.decode = function decode(r, l, e, n) {
                if (!(r instanceof $Reader))
                    r = $Reader.create(r);
                if (n === undefined)
                    n = 0;
                if (n > $Reader.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                var c, m;
                if (l === undefined)
                    c = r.len;
                else {
                    c = r.pos + l;
                    if (c > r.len)
                        throw RangeError("index out of range");
                    l = r.len;
                    r.len = c;
                }
                m = new $root.local.v1.DeregisterReply();
                while (r.pos < c) {
                    var t = r.uint32();
                    if (t === e)
                        break;
                    switch (t >>> 3) {
                    case 1: {
                            m.confirmed = r.bool();
                            break;
                        }
                    default:
                        r.skipType(t & 7, n);
                        break;
                    }
                }
                if (l !== undefined) {
                    if (r.pos !== c)
                        throw RangeError("index out of range");
                    r.len = l;
                }
                return m;
            };

            /**
             * Creates a DeregisterReply message from a plain object. Also converts values to their respective internal types.
             * @function fromObject
             * @memberof local.v1.DeregisterReply
             * @static
             * @param {Object.<string,*>} d Plain object
             * @returns {local.v1.DeregisterReply} DeregisterReply
             */
            DeregisterReply.fromObject = function fromObject(d, n) {
                if (d instanceof $root.local.v1.DeregisterReply)
                    return d;
                if (!$util.isObject(d))
                    throw TypeError(".local.v1.DeregisterReply: object expected");
                if (n === undefined)
                    n = 0;
                if (n > $util.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                var m = new $root.local.v1.DeregisterReply();
                if (d.confirmed != null) {
                    m.confirmed = Boolean(d.confirmed);
                }
                return m;
            };

            /**
             * Creates a plain object from a DeregisterReply message. Also converts values to other types if specified.
             * @function toObject
             * @memberof local.v1.DeregisterReply
             * @static
             * @param {local.v1.DeregisterReply} m DeregisterReply
             * @param {$protobuf.IConversionOptions} [o] Conversion options
             * @returns {Object.<string,*>} Plain object
             */
            DeregisterReply.toObject = function toObject(m, o, q) {
                if (!o)
                    o = {};
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                var d = {};
                if (o.defaults) {
                    d.confirmed = false;
                }
                if (m.confirmed != null && Object.hasOwnProperty.call(m, "confirmed")) {
                    d.confirmed = m.confirmed;
                }
                return d;
            };

            /**
             * Converts this DeregisterReply to JSON.
             * @function toJSON
             * @memberof local.v1.DeregisterReply
             * @instance
             * @returns {Object.<string,*>} JSON object
             */
            DeregisterReply.prototype.toJSON = function toJSON() {
                return this.constructor.toObject(this, $protobuf.util.toJSONOptions);
            };

            /**
             * Gets the default type url for DeregisterReply
             * @function getTypeUrl
             * @memberof local.v1.DeregisterReply
             * @static
             * @param {string} [typeUrlPrefix] your custom typeUrlPrefix(default "type.googleapis.com")
             * @returns {string} The default type url
             */
            DeregisterReply.getTypeUrl = function getTypeUrl(typeUrlPrefix) {
                if (typeUrlPrefix === undefined) {
                    typeUrlPrefix = "type.googleapis.com";
                }
                return typeUrlPrefix + "/local.v1.DeregisterReply";
            };

            return DeregisterReply;
        })();

        return v1;
    })();

    return local;
})();

export { $root as default };
