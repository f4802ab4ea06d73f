/** The picture's size as shown (EXIF orientation applied): the project service's reader. */
export { readPictureSize as pictureSize } from '#main/project/referencePose';
