import * as $protobuf from "protobufjs";
import Long = require("long");
/** Namespace local. */
export namespace local {

    /** Namespace v1. */
    namespace v1 {

        /** Represents a Local */
        class Local extends $protobuf.rpc.Service {

            /**
             * Constructs a new Local service.
             * @param rpcImpl RPC implementation
             * @param [requestDelimited=false] Whether requests are length-delimited
             * @param [responseDelimited=false] Whether responses are length-delimited
             */
            constructor(rpcImpl: $protobuf.RPCImpl, requestDelimited?: boolean, responseDelimited?: boolean);

            /**
             * Creates new Local service using the specified rpc implementation.
             * @param rpcImpl RPC implementation
             * @param [requestDelimited=false] Whether requests are length-delimited
             * @param [responseDelimited=false] Whether responses are length-delimited
             * @returns RPC service. Useful where requests and/or responses are streamed.
             */
            public static create(rpcImpl: $protobuf.RPCImpl, requestDelimited?: boolean, responseDelimited?: boolean): Local;

            /**
             * Calls Register.
             * @param request RegisterRequest message or plain object
             * @param callback Node-style callback called with the error, if any, and RegisterReply
             */
            public register(request: local.v1.IRegisterRequest, callback: local.v1.Local.RegisterCallback): void;

            /**
             * Calls Register.
             * @param request RegisterRequest message or plain object
             * @returns Promise
             */
            public register(request: local.v1.IRegisterRequest): Promise<local.v1.RegisterReply>;

            /**
             * Calls Deregister.
             * @param request DeregisterRequest message or plain object
             * @param callback Node-style callback called with the error, if any, and DeregisterReply
             */
            public deregister(request: local.v1.IDeregisterRequest, callback: local.v1.Local.DeregisterCallback): void;

            /**
             * Calls Deregister.
             * @param request DeregisterRequest message or plain object
             * @returns Promise
             */
            public deregister(request: local.v1.IDeregisterRequest): Promise<local.v1.DeregisterReply>;
        }

        namespace Local {

            /**
             * Callback as used by {@link local.v1.Local#register}.
             * @param error Error, if any
             * @param [response] RegisterReply
             */
            type RegisterCallback = (error: (Error|null), response?: local.v1.RegisterReply) => void;

            /**
             * Callback as used by {@link local.v1.Local#deregister}.
             * @param error Error, if any
             * @param [response] DeregisterReply
             */
            type DeregisterCallback = (error: (Error|null), response?: local.v1.DeregisterReply) => void;
        }

        /** Properties of a RegisterRequest. */
        interface IRegisterRequest {

            /** RegisterRequest vpc */
            vpc?: (string|null);

            /** RegisterRequest vpcattachment */
            vpcattachment?: (string|null);

            /** RegisterRequest networks */
            networks?: (string[]|null);
        }

        /** Represents a RegisterRequest. */
        class RegisterRequest implements IRegisterRequest {

            /**
             * Constructs a new RegisterRequest.
             * @param [p] Properties to set
             */
            constructor(p?: local.v1.IRegisterRequest);

            /** RegisterRequest vpc. */
            public vpc: string;

            /** RegisterRequest vpcattachment. */
            public vpcattachment: string;

            /** RegisterRequest networks. */
            public networks: string[];

            /**
             * Creates a new RegisterRequest instance using the specified properties.
             * @param [properties] Properties to set
             * @returns RegisterRequest instance
             */
            public static create(properties?: local.v1.IRegisterRequest): local.v1.RegisterRequest;

            /**
             * Encodes the specified RegisterRequest message. Does not implicitly {@link local.v1.RegisterRequest.verify|verify} messages.
             * @param m RegisterRequest message or plain object to encode
             * @param [w] Writer to encode to
             * @returns Writer
             */
            public static encode(m: local.v1.IRegisterRequest, w?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a RegisterRequest message from the specified reader or buffer.
             * @param r Reader or buffer to decode from
             * @param [l] Message length if known beforehand
             * @returns RegisterRequest
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            public static decode(r: ($protobuf.Reader|Uint8Array), l?: number): local.v1.RegisterRequest;

            /**
             * Creates a RegisterRequest message from a plain object. Also converts values to their respective internal types.
             * @param d Plain object
             * @returns RegisterRequest
             */
            public static fromObject(d: { [k: string]: any }): local.v1.RegisterRequest;

            /**
             * Creates a plain object from a RegisterRequest message. Also converts values to other types if specified.
             * @param m RegisterRequest
             * @param [o] Conversion options
             * @returns Plain object
             */
            public static toObject(m: local.v1.RegisterRequest, o?: $protobuf.IConversionOptions): { [k: string]: any };

            /**
             * Converts this RegisterRequest to JSON.
             * @returns JSON object
             */
            public toJSON(): { [k: string]: any };

            /**
             * Gets the default type url for RegisterRequest
             * @param [typeUrlPrefix] your custom typeUrlPrefix(default "type.googleapis.com")
             * @returns The default type url
             */
            public static getTypeUrl(typeUrlPrefix?: string): string;
        }

        /** Properties of a RegisterReply. */
        interface IRegisterReply {

            /** RegisterReply confirmed */
            confirmed?: (boolean|null);
        }

        /** Represents a RegisterReply. */
        class RegisterReply implements IRegisterReply {

            /**
             * Constructs a new RegisterReply.
             * @param [p] Properties to set
             */
            constructor(p?: local.v1.IRegisterReply);

            /** RegisterReply confirmed. */
            public confirmed: boolean;

            /**
             * Creates a new RegisterReply instance using the specified properties.
             * @param [properties] Properties to set
             * @returns RegisterReply instance
             */
            public static create(properties?: local.v1.IRegisterReply): local.v1.RegisterReply;

            /**
             * Encodes the specified RegisterReply message. Does not implicitly {@link local.v1.RegisterReply.verify|verify} messages.
             * @param m RegisterReply message or plain object to encode
             * @param [w] Writer to encode to
             * @returns Writer
             */
            public static encode(m: local.v1.IRegisterReply, w?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a RegisterReply message from the specified reader or buffer.
             * @param r Reader or buffer to decode from
             * @param [l] Message length if known beforehand
             * @returns RegisterReply
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            public static decode(r: ($protobuf.Reader|Uint8Array), l?: number): local.v1.RegisterReply;

            /**
             * Creates a RegisterReply message from a plain object. Also converts values to their respective internal types.
             * @param d Plain object
             * @returns RegisterReply
             */
            public static fromObject(d: { [k: string]: any }): local.v1.RegisterReply;

            /**
             * Creates a plain object from a RegisterReply message. Also converts values to other types if specified.
             * @param m RegisterReply
             * @param [o] Conversion options
             * @returns Plain object
             */
            public static toObject(m: local.v1.RegisterReply, o?: $protobuf.IConversionOptions): { [k: string]: any };

            /**
             * Converts this RegisterReply to JSON.
             * @returns JSON object
             */
            public toJSON(): { [k: string]: any };

            /**
             * Gets the default type url for RegisterReply
             * @param [typeUrlPrefix] your custom typeUrlPrefix(default "type.googleapis.com")
             * @returns The default type url
             */
            public static getTypeUrl(typeUrlPrefix?: string): string;
        }

        /** Properties of a DeregisterRequest. */
        interface IDeregisterRequest {

            /** DeregisterRequest vpc */
            vpc?: (string|null);

            /** DeregisterRequest vpcattachment */
            vpcattachment?: (string|null);

            /** DeregisterRequest networks */
            networks?: (string[]|null);
        }

        /** Represents a DeregisterRequest. */
        class DeregisterRequest implements IDeregisterRequest {

            /**
             * Constructs a new DeregisterRequest.
             * @param [p] Properties to set
             */
            constructor(p?: local.v1.IDeregisterRequest);

            /** DeregisterRequest vpc. */
            public vpc: string;

            /** DeregisterRequest vpcattachment. */
            public vpcattachment: string;

            /** DeregisterRequest networks. */
            public networks: string[];

            /**
             * Creates a new DeregisterRequest instance using the specified properties.
             * @param [properties] Properties to set
             * @returns DeregisterRequest instance
             */
            public static create(properties?: local.v1.IDeregisterRequest): local.v1.DeregisterRequest;

            /**
             * Encodes the specified DeregisterRequest message. Does not implicitly {@link local.v1.DeregisterRequest.verify|verify} messages.
             * @param m DeregisterRequest message or plain object to encode
             * @param [w] Writer to encode to
             * @returns Writer
             */
            public static encode(m: local.v1.IDeregisterRequest, w?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a DeregisterRequest message from the specified reader or buffer.
             * @param r Reader or buffer to decode from
             * @param [l] Message length if known beforehand
             * @returns DeregisterRequest
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            public static decode(r: ($protobuf.Reader|Uint8Array), l?: number): local.v1.DeregisterRequest;

            /**
             * Creates a DeregisterRequest message from a plain object. Also converts values to their respective internal types.
             * @param d Plain object
             * @returns DeregisterRequest
             */
            public static fromObject(d: { [k: string]: any }): local.v1.DeregisterRequest;

            /**
             * Creates a plain object from a DeregisterRequest message. Also converts values to other types if specified.
             * @param m DeregisterRequest
             * @param [o] Conversion options
             * @returns Plain object
             */
            public static toObject(m: local.v1.DeregisterRequest, o?: $protobuf.IConversionOptions): { [k: string]: any };

            /**
             * Converts this DeregisterRequest to JSON.
             * @returns JSON object
             */
            public toJSON(): { [k: string]: any };

            /**
             * Gets the default type url for DeregisterRequest
             * @param [typeUrlPrefix] your custom typeUrlPrefix(default "type.googleapis.com")
             * @returns The default type url
             */
            public static getTypeUrl(typeUrlPrefix?: string): string;
        }

        /** Properties of a DeregisterReply. */
        interface IDeregisterReply {

            /** DeregisterReply confirmed */
            confirmed?: (boolean|null);
        }

        /** Represents a DeregisterReply. */
        class DeregisterReply implements IDeregisterReply {

            /**
             * Constructs a new DeregisterReply.
             * @param [p] Properties to set
             */
            constructor(p?: local.v1.IDeregisterReply);

            /** DeregisterReply confirmed. */
            public confirmed: boolean;

            /**
             * Creates a new DeregisterReply instance using the specified properties.
             * @param [properties] Properties to set
             * @returns DeregisterReply instance
             */
            public static create(properties?: local.v1.IDeregisterReply): local.v1.DeregisterReply;

            /**
             * Encodes the specified DeregisterReply message. Does not implicitly {@link local.v1.DeregisterReply.verify|verify} messages.
             * @param m DeregisterReply message or plain object to encode
             * @param [w] Writer to encode to
             * @returns Writer
             */
            public static encode(m: local.v1.IDeregisterReply, w?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a DeregisterReply message from the specified reader or buffer.
             * @param r Reader or buffer to decode from
             * @param [l] Message length if known beforehand
             * @returns DeregisterReply
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            public static decode(r: ($protobuf.Reader|Uint8Array), l?: number): local.v1.DeregisterReply;

            /**
             * Creates a DeregisterReply message from a plain object. Also converts values to their respective internal types.
             * @param d Plain object
             * @returns DeregisterReply
             */
            public static fromObject(d: { [k: string]: any }): local.v1.DeregisterReply;

            /**
             * Creates a plain object from a DeregisterReply message. Also converts values to other types if specified.
             * @param m DeregisterReply
             * @param [o] Conversion options
             * @returns Plain object
             */
            public static toObject(m: local.v1.DeregisterReply, o?: $protobuf.IConversionOptions): { [k: string]: any };

            /**
             * Converts this DeregisterReply to JSON.
             * @returns JSON object
             */
            public toJSON(): { [k: string]: any };

            /**
             * Gets the default type url for DeregisterReply
             * @param [typeUrlPrefix] your custom typeUrlPrefix(default "type.googleapis.com")
             * @returns The default type url
             */
            public static getTypeUrl(typeUrlPrefix?: string): string;
        }
    }
}
